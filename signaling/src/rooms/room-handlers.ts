import {
  type Ack,
  type AckWith,
  decodeMessage,
  encodeMessage,
  FerryError,
  type FerryErrorCode,
  type SendReceipt,
} from '@ferry/protocol'
import { guardRequest, OK, type RequestListener } from '../ack.js'
import { SIGNAL_BURST, SIGNAL_RATE_PER_SECOND } from '../constants.js'
import type { Deliveries } from '../delivery/deliveries.js'
import type { Logger } from '../logger.js'
import { userRoom } from '../rooms.js'
import { createSerialRunner } from '../serial.js'
import { TokenBucket } from '../token-bucket.js'
import type { FerryServer, FerrySocket } from '../types.js'
import { isPlainObject } from '../validate.js'
import type { RoomRegistry } from './room-registry.js'
import { validateEnvelope, validateRoomRef } from './room-requests.js'

export interface RoomsContext {
  io: FerryServer
  logger: Logger
  rooms: RoomRegistry
  deliveries: Deliveries
}

type Answer<T = {}> = Promise<AckWith<T>>

/** What `withPayload` hands the `room:send` handler. */
interface SendArguments {
  msg: unknown
  payload: unknown
}

/**
 * Rooms (Agora channels): `room:join`, `room:leave`, `room:members` and `room:send` for the socket's
 * user. Membership is by user id; a user leaves every room when they go offline (`leaveAllRooms`).
 *
 * Like routing, every request first takes a token from the socket's bucket (`rate-limited` when empty),
 * then runs in arrival order, so a join is always handled before the sends that follow it.
 */
export function registerRooms(socket: FerrySocket, { io, logger, rooms, deliveries }: RoomsContext): void {
  const from = socket.data.userId
  const bucket = new TokenBucket(SIGNAL_RATE_PER_SECOND, SIGNAL_BURST)
  const serial = createSerialRunner()

  function limited(handle: (msg: unknown) => Promise<Ack>): (msg: unknown) => Promise<Ack> {
    return (msg) => {
      if (!bucket.take()) return Promise.resolve(refused('rate-limited', 'too many room requests, slow down'))
      return serial(() => handle(msg))
    }
  }

  async function join(msg: unknown): Answer<{ members: string[] }> {
    const checked = validateRoomRef(msg)
    if (!checked.ok) return refused('invalid-argument', checked.message)
    const { room } = checked.value
    let added: boolean
    try {
      added = rooms.join(from, room)
    } catch (error) {
      if (error instanceof FerryError) return refused(error.code, error.message)
      throw error
    }
    const members = rooms.membersOf(room)
    if (added) announce(io, rooms, room, from, true)
    return { ok: true, members }
  }

  async function leave(msg: unknown): Answer {
    const checked = validateRoomRef(msg)
    if (!checked.ok) return refused('invalid-argument', checked.message)
    const { room } = checked.value
    if (rooms.leave(from, room)) announce(io, rooms, room, from, false)
    return OK
  }

  async function members(msg: unknown): Answer<{ members: string[] }> {
    const checked = validateRoomRef(msg)
    if (!checked.ok) return refused('invalid-argument', checked.message)
    const { room } = checked.value
    if (!rooms.isMember(from, room)) return notAMember(room)
    return { ok: true, members: rooms.membersOf(room) }
  }

  async function send(input: unknown): Answer<SendReceipt> {
    const { msg, payload } = input as SendArguments
    if (!isPlainObject(msg)) return refused('invalid-argument', 'the payload must be an object')
    const checked = validateRoomRef(msg)
    if (!checked.ok) return refused('invalid-argument', checked.message)
    const { room } = checked.value
    if (!rooms.isMember(from, room)) return notAMember(room)
    if (!(payload instanceof Uint8Array))
      return refused('invalid-argument', 'the message must be binary (encodeMessage)')
    const decoded = decodeMessage(payload)
    if (!decoded.ok) {
      const code = decoded.code === 'message-too-large' ? decoded.code : 'invalid-argument'
      return refused(code, `the message: ${decoded.reason}`)
    }
    const envelope = validateEnvelope(msg, decoded.message)
    if (!envelope.ok) return refused(envelope.code, envelope.message)
    const receipt = await deliveries.send(
      {
        from,
        ...envelope.value,
        target: { type: 'room', rid: room },
        recipients: rooms.membersOf(room),
        keepForOffline: false,
      },
      // Only the checked fields go on: nothing a sender slipped into the JSON reaches the members.
      encodeMessage(decoded.message),
    )
    return { ok: true, ...receipt }
  }

  socket.on('room:join', guardRequest('room:join', limited(join), logger))
  socket.on('room:leave', guardRequest('room:leave', limited(leave), logger))
  socket.on('room:members', guardRequest('room:members', limited(members), logger))
  socket.on('room:send', withPayload(guardRequest('room:send', limited(send), logger)))
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

/** A refusal, typed so it fits any `AckWith`. */
type Refusal = { ok: false; code: FerryErrorCode; message: string }

function refused(code: FerryErrorCode, message: string): Refusal {
  return { ok: false, code, message }
}

function notAMember(room: string): Refusal {
  return refused('not-a-member', `not in room ${room}`)
}

/**
 * `room:send` carries the message as a second argument. Hands the guarded handler one object with both,
 * and the ack (when the client asked for one) after it, as `guardRequest` expects.
 */
function withPayload(listener: RequestListener): RequestListener {
  return (...args) => {
    const last = args.at(-1)
    const ack = typeof last === 'function' ? [last] : []
    const [msg, payload] = ack.length > 0 ? args.slice(0, -1) : args
    const packed: SendArguments = { msg, payload }
    listener(packed, ...ack)
  }
}
