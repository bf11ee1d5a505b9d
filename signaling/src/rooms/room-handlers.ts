import { type AckWith, decodeMessage, encodeMessage, FerryError, type SendReceipt } from '@ferry/protocol'
import type { Deliveries } from '../delivery/deliveries.js'
import { onClientEvent, refusal } from '../events/client-event.js'
import type { Limits } from '../limits/limits.js'
import type { Logger } from '../logger.js'
import { userRoom } from '../rooms.js'
import { createSerialRunner } from '../serial.js'
import type { FerryServer, FerrySocket } from '../types.js'
import type { RoomRegistry } from './room-registry.js'
import { roomEnvelope } from './room-requests.js'

export interface RoomsContext {
  io: FerryServer
  logger: Logger
  rooms: RoomRegistry
  deliveries: Deliveries
  limits: Limits
}

/**
 * Rooms (Agora channels): `room:join`, `room:leave`, `room:members` and `room:send` for the socket's
 * user. Membership is by user id; a user leaves every room when they go offline (`leaveAllRooms`).
 *
 * Every request first takes a token from the user's room budget (`rate-limited` when empty), is parsed
 * (`invalid-argument`), then runs in arrival order, so a join is always handled before the sends that
 * follow it. A send also takes one token per recipient from the user's fan-out budget.
 */
export function registerRooms(socket: FerrySocket, { io, logger, rooms, deliveries, limits }: RoomsContext): void {
  const from = socket.data.userId
  const serial = createSerialRunner()
  const options = {
    logger,
    admit: () => limits.take('rooms', from),
    limitMessage: 'too many room requests, slow down',
  }

  onClientEvent(
    socket,
    'room:join',
    ({ room }) =>
      serial(async (): Promise<AckWith<{ members: string[] }>> => {
        let added: boolean
        try {
          added = rooms.join(from, room)
        } catch (error) {
          if (error instanceof FerryError) return refusal(error.code, error.message)
          throw error
        }
        const members = rooms.membersOf(room)
        if (added) announce(io, rooms, room, from, true)
        return { ok: true, members }
      }),
    options,
  )

  onClientEvent(
    socket,
    'room:leave',
    ({ room }) =>
      serial(async () => {
        if (rooms.leave(from, room)) announce(io, rooms, room, from, false)
        return { ok: true } as const
      }),
    options,
  )

  onClientEvent(
    socket,
    'room:members',
    ({ room }) =>
      serial(async (): Promise<AckWith<{ members: string[] }>> => {
        if (!rooms.isMember(from, room)) return notAMember(room)
        return { ok: true, members: rooms.membersOf(room) }
      }),
    options,
  )

  onClientEvent(
    socket,
    'room:send',
    (msg, payload) =>
      serial(async (): Promise<AckWith<SendReceipt>> => {
        const { room } = msg
        if (!rooms.isMember(from, room)) return notAMember(room)
        const decoded = decodeMessage(payload)
        if (!decoded.ok) {
          const code = decoded.code === 'message-too-large' ? decoded.code : 'invalid-argument'
          return refusal(code, `the message: ${decoded.reason}`)
        }
        const envelope = roomEnvelope(msg, decoded.message)
        if ('ok' in envelope) return envelope
        const recipients = rooms.membersOf(room)
        if (!limits.take('fanout', from, Math.max(0, recipients.length - 1))) {
          return refusal('rate-limited', `too many room message recipients per second, slow down`)
        }
        const receipt = await deliveries.send(
          { from, ...envelope, target: { type: 'room', rid: room }, recipients, keepForOffline: false },
          // Only the checked fields go on: nothing a sender slipped into the JSON reaches the members.
          encodeMessage(decoded.message),
        )
        return { ok: true, ...receipt }
      }),
    options,
  )
}

/** The user went offline: they leave every room, and the members who stay are told. */
export function leaveAllRooms(io: FerryServer, rooms: RoomRegistry, userId: string): void {
  for (const room of rooms.leaveAll(userId)) announce(io, rooms, room, userId, false)
}

/** Tells the other members of `room` that `userId` joined or left. */
function announce(io: FerryServer, rooms: RoomRegistry, room: string, userId: string, joined: boolean): void {
  const members = rooms.membersOf(room)
  const others = members.filter((member) => member !== userId).map(userRoom)
  if (others.length > 0) io.to(others).emit('room:member', { room, userId, joined, count: members.length })
}

function notAMember(room: string) {
  return refusal('not-a-member', `not in room ${room}`)
}
