import {
  type AckWith,
  checkMessage,
  encodeMessage,
  FerryError,
  type FerryErrorCode,
  type FerryMessage,
  isMtype,
  MAX_ATTRS_BYTES,
  MESSAGE_ID_PATTERN,
  ROOM_ID_PATTERN,
  type RoomMemberEvent,
  type RoomSendMessage,
  type SendReceipt,
  utf8Encode,
} from '@ferry/protocol'
import { requestWith, type SignalingSocket } from '../signaling-client.js'
import type { RoomSendOptions } from './room-types.js'

export interface ClientRoomsOptions {
  /** The signaling socket once logged in; undefined before `connect()` and after `close()`. */
  socket(): SignalingSocket | undefined
  emitMember(event: RoomMemberEvent): void
  emitError(code: FerryErrorCode, message: string): void
}

/**
 * Rooms (Agora channels) as one user sees them: join, leave, list members and send to the others
 * through the signaling server. Room messages arrive as `message` events whose delivery target is the
 * room. The rooms joined are remembered here: the server forgets them when this user goes offline, so
 * after a reconnect of the same client they are joined again.
 */
export class ClientRooms {
  private readonly joined = new Set<string>()

  constructor(private readonly o: ClientRoomsOptions) {}

  /** Rooms this client joined and has not left. */
  get rooms(): ReadonlySet<string> {
    return this.joined
  }

  async join(room: string): Promise<{ members: string[] }> {
    const socket = this.socketFor(room)
    const answer = await requestWith<{ members: string[] }>(socket, 'room:join', [{ room }])
    const members = membersOf(answer)
    this.joined.add(room)
    return { members }
  }

  async leave(room: string): Promise<void> {
    const socket = this.socketFor(room)
    this.joined.delete(room)
    unwrap(await requestWith<{}>(socket, 'room:leave', [{ room }]))
  }

  async members(room: string): Promise<string[]> {
    const socket = this.socketFor(room)
    return membersOf(await requestWith<{ members: string[] }>(socket, 'room:members', [{ room }]))
  }

  async send(room: string, message: FerryMessage | string, options: RoomSendOptions = {}): Promise<SendReceipt> {
    const socket = this.socketFor(room)
    const value: unknown = typeof message === 'string' ? { type: 'text', text: message } : message
    const check = checkMessage(value)
    if (!check.ok) throw new FerryError(check.code, check.reason)
    const msg = envelope(room, value as FerryMessage, options)
    const answer = unwrap(
      await requestWith<SendReceipt>(socket, 'room:send', [msg, encodeMessage(value as FerryMessage)]),
    )
    if (typeof answer.mid !== 'string' || typeof answer.mtime !== 'number') throw malformed()
    return { mid: answer.mid, mtime: answer.mtime }
  }

  /** `room:member` from the server, checked before it becomes a `room-member` event. */
  onMember(event: RoomMemberEvent): void {
    if (
      !event ||
      typeof event.room !== 'string' ||
      typeof event.userId !== 'string' ||
      typeof event.joined !== 'boolean' ||
      typeof event.count !== 'number'
    ) {
      this.o.emitError('protocol-error', 'a malformed room:member event')
      return
    }
    this.o.emitMember({ room: event.room, userId: event.userId, joined: event.joined, count: event.count })
  }

  /** A new session of the same client is ready: join again what was joined (the server may have forgotten). */
  rejoin(): void {
    for (const room of this.joined) {
      this.join(room).catch((error: unknown) => {
        this.joined.delete(room)
        const code = error instanceof FerryError ? error.code : 'unknown'
        this.o.emitError(code, `joining room ${room} again after a reconnect failed: ${String(error)}`)
      })
    }
  }

  /** Logged out: nothing is joined any more. */
  clear(): void {
    this.joined.clear()
  }

  private socketFor(room: string): SignalingSocket {
    const socket = this.o.socket()
    if (!socket) throw new FerryError('not-logged-in', 'call connect() first')
    if (typeof room !== 'string' || !ROOM_ID_PATTERN.test(room)) {
      throw new FerryError('invalid-argument', 'a room id is 1 to 64 of A-Z a-z 0-9 _ . @ : -')
    }
    return socket
  }
}

/** The room send's envelope, checked as the server will check it. */
function envelope(room: string, message: FerryMessage, options: RoomSendOptions): RoomSendMessage {
  const msg: RoomSendMessage = { room }
  if (options.mtype !== undefined) {
    if (!isMtype(options.mtype, message.type === 'text' ? 'text' : 'file')) {
      throw new FerryError('invalid-mtype', `mtype ${options.mtype} does not fit a ${message.type} message`)
    }
    msg.mtype = options.mtype
  }
  if (options.attrs !== undefined) {
    if (typeof options.attrs !== 'string') throw new FerryError('invalid-argument', 'attrs is a string')
    const bytes = utf8Encode(options.attrs).length
    if (bytes > MAX_ATTRS_BYTES)
      throw new FerryError('invalid-argument', `attrs are ${bytes} bytes, limit ${MAX_ATTRS_BYTES}`)
    msg.attrs = options.attrs
  }
  if (options.mid !== undefined) {
    if (typeof options.mid !== 'string' || !MESSAGE_ID_PATTERN.test(options.mid)) {
      throw new FerryError('invalid-argument', 'a mid is 1 to 64 of A-Z a-z 0-9 _ -')
    }
    msg.mid = options.mid
  }
  return msg
}

function unwrap<T>(answer: AckWith<T>): { ok: true } & T {
  if (!answer.ok) throw new FerryError(answer.code, answer.message)
  return answer
}

function membersOf(answer: AckWith<{ members: string[] }>): string[] {
  const { members } = unwrap(answer)
  if (!Array.isArray(members) || !members.every((member) => typeof member === 'string')) {
    throw malformed()
  }
  return [...members]
}

function malformed(): FerryError {
  return new FerryError('protocol-error', 'malformed answer from the signaling server')
}
