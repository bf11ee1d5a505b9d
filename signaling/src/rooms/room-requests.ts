import {
  type FerryErrorCode,
  type FerryMessage,
  isMtype,
  MAX_ATTRS_BYTES,
  MESSAGE_ID_PATTERN,
  MTYPE,
  ROOM_ID_PATTERN,
} from '@ferry/protocol'
import { isPlainObject, type Validated } from '../validate.js'

/**
 * Shape checks for room requests. Payloads come straight off the network: these take `unknown`, never
 * throw, and say what is wrong (answered as `invalid-argument` unless a code is given).
 */

/** A room request's `room`. */
export function validateRoomRef(msg: unknown): Validated<{ room: string }> {
  if (!isPlainObject(msg)) return { ok: false, message: 'the payload must be an object' }
  if (typeof msg.room !== 'string' || !ROOM_ID_PATTERN.test(msg.room)) {
    return { ok: false, message: 'room must be 1 to 64 of A-Z a-z 0-9 _ . @ : -' }
  }
  return { ok: true, value: { room: msg.room } }
}

/** The envelope fields of a room send, once its message decoded. */
export interface RoomEnvelope {
  mid?: string
  mtype: number
  attrs: string
}

export type EnvelopeCheck = { ok: true; value: RoomEnvelope } | { ok: false; code: FerryErrorCode; message: string }

/** Checks `mid`, `mtype` (default by message type) and `attrs` of a room send. */
export function validateEnvelope(msg: Record<string, unknown>, message: FerryMessage): EnvelopeCheck {
  const mtype = msg.mtype === undefined ? defaultMtype(message) : msg.mtype
  if (!isMtype(mtype, message.type === 'text' ? 'text' : 'file')) {
    return {
      ok: false,
      code: 'invalid-mtype',
      message: `mtype ${String(mtype)} does not fit a ${message.type} message`,
    }
  }
  const attrs = msg.attrs ?? ''
  if (typeof attrs !== 'string') return { ok: false, code: 'invalid-argument', message: 'attrs must be a string' }
  const attrsBytes = Buffer.byteLength(attrs, 'utf8')
  if (attrsBytes > MAX_ATTRS_BYTES) {
    return { ok: false, code: 'invalid-argument', message: `attrs are ${attrsBytes} bytes, limit ${MAX_ATTRS_BYTES}` }
  }
  if (msg.mid !== undefined && (typeof msg.mid !== 'string' || !MESSAGE_ID_PATTERN.test(msg.mid))) {
    return { ok: false, code: 'invalid-argument', message: 'mid must be 1 to 64 of A-Z a-z 0-9 _ -' }
  }
  return { ok: true, value: { ...(msg.mid !== undefined ? { mid: msg.mid } : {}), mtype, attrs } }
}

/** The mtype a message gets when the sender names none (LiveData: 30 text, 40 image, 50 file). */
export function defaultMtype(message: FerryMessage): number {
  if (message.type === 'text') return MTYPE.text
  return message.type === 'image' ? MTYPE.image : MTYPE.file
}
