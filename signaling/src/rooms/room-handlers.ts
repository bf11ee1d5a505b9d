import { type AckWith, decodeMessage, encodeMessage, FerryError, type SendReceipt } from '@ferry/protocol'
import type { Deliveries } from '../delivery/deliveries.js'
import { onClientEvent, refusal } from '../events/client-event.js'
import type { Limits } from '../limits/limits.js'
import type { Logger } from '../logger.js'
import { userRoom } from '../rooms.js'
import type { SerialRunner } from '../serial.js'
import type { FerryServer, FerrySocket } from '../types.js'
import { roomEnvelope } from './room-requests.js'
import { DEFAULT_ROOM_CAPS, type RoomStore } from './room-store.js'

export interface RoomsContext {
  io: FerryServer
  logger: Logger
  rooms: RoomStore
  deliveries: Deliveries
  limits: Limits
  /** The runner the socket's requests that change shared state go through. */
  serial: SerialRunner
}

/**
 * Rooms (Agora channels): `room:join`, `room:leave`, `room:members` and `room:send` for the socket's
 * user. Membership is by user id; a user leaves every room when they go offline (`leaveAllRooms`).
 *
 * Requests run in arrival order, so a join is always handled before the sends that follow it. Each
 * first takes a token from the user's room budget (`rate-limited` when empty), is parsed
 * (`invalid-argument`), then handled. A send also takes one token per recipient from the user's
 * fan-out budget.
 */
export function registerRooms(
  socket: FerrySocket,
  { io, logger, rooms, deliveries, limits, serial }: RoomsContext,
): void {
  const from = socket.data.userId
  const caps = { ...DEFAULT_ROOM_CAPS, maxMembers: limits.settings.maxRoomMembers }
  const options = {
    logger,
    admit: () => limits.take('rooms', from),
    limitMessage: 'too many room requests, slow down',
    serial,
  }

  onClientEvent(
    socket,
    'room:join',
    async ({ room }): Promise<AckWith<{ members: string[] }>> => {
      let joined: { added: boolean; members: string[] }
      try {
        joined = await rooms.join(from, room, caps)
      } catch (error) {
        if (error instanceof FerryError) return refusal(error.code, error.message)
        throw error
      }
      if (joined.added) announce(io, room, joined.members, from, true)
      return { ok: true, members: joined.members }
    },
    options,
  )

  onClientEvent(
    socket,
    'room:leave',
    async ({ room }) => {
      const members = await rooms.leave(from, room)
      if (members !== undefined) announce(io, room, members, from, false)
      return { ok: true } as const
    },
    options,
  )

  onClientEvent(
    socket,
    'room:members',
    async ({ room }): Promise<AckWith<{ members: string[] }>> => {
      const members = await rooms.membersOf(room)
      if (!members.includes(from)) return notAMember(room)
      return { ok: true, members }
    },
    options,
  )

  onClientEvent(
    socket,
    'room:send',
    async (msg, payload): Promise<AckWith<SendReceipt>> => {
      const { room } = msg
      const recipients = await rooms.membersOf(room)
      if (!recipients.includes(from)) return notAMember(room)
      const decoded = decodeMessage(payload)
      if (!decoded.ok) {
        const code = decoded.code === 'message-too-large' ? decoded.code : 'invalid-argument'
        return refusal(code, `the message: ${decoded.reason}`)
      }
      const envelope = roomEnvelope(msg, decoded.message)
      if ('ok' in envelope) return envelope
      if (!(await limits.take('fanout', from, Math.max(0, recipients.length - 1)))) {
        return refusal('rate-limited', `too many room message recipients per second, slow down`)
      }
      const receipt = await deliveries.send(
        { from, ...envelope, target: { type: 'room', rid: room }, recipients, keepForOffline: false },
        // Only the checked fields go on: nothing a sender slipped into the JSON reaches the members.
        encodeMessage(decoded.message),
      )
      return { ok: true, ...receipt }
    },
    options,
  )
}

/** The user went offline: they leave every room, and the members who stay are told. */
export async function leaveAllRooms(io: FerryServer, rooms: RoomStore, userId: string): Promise<void> {
  for (const { room, members } of await rooms.leaveAll(userId)) announce(io, room, members, userId, false)
}

/** Tells the other members of `room` (`members`, as it is now) that `userId` joined or left. */
function announce(io: FerryServer, room: string, members: string[], userId: string, joined: boolean): void {
  const others = members.filter((member) => member !== userId).map(userRoom)
  if (others.length > 0) io.to(others).emit('room:member', { room, userId, joined, count: members.length })
}

function notAMember(room: string) {
  return refusal('not-a-member', `not in room ${room}`)
}
