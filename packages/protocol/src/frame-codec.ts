import {
  MAX_CMD_BYTES,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_MIME_BYTES,
  MAX_NAME_BYTES,
  MEDIA_ID_PATTERN,
  PROTOCOL_VERSION,
  SHA256_BYTES,
} from './constants.js'
import { ERROR_CODES, errorCodeFromNumber } from './errors.js'
import type { Frame, FrameOrigin, FrameType, WireKind } from './frames.js'
import { utf8Decode, utf8Encode, utf8EncodeTruncated } from './text.js'

/**
 * Binary layout, big-endian. Every frame starts with the same 6-byte header:
 *
 *   0  u8   version (PROTOCOL_VERSION)
 *   1  u8   type (TYPE_CODES)
 *   2  u32  task id
 *
 * then, by type:
 *   cmd      u8 flags (bit 0: text), payload (rest, at most MAX_CMD_BYTES)
 *   start    u8 kind, u8 flags (bit 0: sha-256 present), u64 size, [32 sha-256],
 *            u16 name length, name (UTF-8), u16 mime length, mime (UTF-8)
 *   chunk    u64 offset, data (rest)
 *   ack      u64 bytes received
 *   end      32 sha-256
 *   end-ack  (nothing)
 *   cancel   u8 origin (0 sender, 1 receiver)
 *   error    u8 origin, u16 error code, u16 message length, message (UTF-8)
 *   resume   u8 origin, u64 offset
 *   message  payload (rest, at most MAX_CMD_BYTES; see message-codec)
 *   media-request  u64 offset, u8 media id length, media id (ASCII)
 *
 * u64 values are limited to Number.MAX_SAFE_INTEGER (2^53 - 1): about 9 PB, enough for any file.
 */
const TYPE_CODES = {
  cmd: 1,
  start: 2,
  chunk: 3,
  ack: 4,
  end: 5,
  'end-ack': 6,
  cancel: 7,
  error: 8,
  resume: 9,
  message: 10,
  'media-request': 11,
} as const satisfies Record<FrameType, number>

const HEADER_BYTES = 6

/** Bytes in front of a chunk's data: header plus the u64 offset. */
export const CHUNK_HEADER_BYTES = HEADER_BYTES + 8

const KIND_CODES = { buffer: 1, file: 2, media: 3 } as const satisfies Record<WireKind, number>
const ORIGIN_CODES = { sender: 0, receiver: 1 } as const satisfies Record<FrameOrigin, number>
const TWO_32 = 0x1_0000_0000
const MAX_U64_HIGH = 0x1f_ffff // high word of Number.MAX_SAFE_INTEGER

export type DecodeResult =
  | { ok: true; frame: Frame }
  | { ok: false; code: 'protocol-error' | 'unsupported-version'; reason: string }

/** Encodes a frame into a new buffer. Names and mimes longer than their limits are cut. */
export function encodeFrame(frame: Frame): Uint8Array {
  switch (frame.type) {
    case 'cmd': {
      const out = header(frame.type, frame.taskId, 1 + frame.payload.length)
      out.bytes[HEADER_BYTES] = frame.text ? 1 : 0
      out.bytes.set(frame.payload, HEADER_BYTES + 1)
      return out.bytes
    }
    case 'start': {
      const name = utf8EncodeTruncated(frame.name, MAX_NAME_BYTES)
      const mime = utf8EncodeTruncated(frame.mime, MAX_MIME_BYTES)
      const sha = frame.sha256
      const out = header(frame.type, frame.taskId, 2 + 8 + (sha ? SHA256_BYTES : 0) + 2 + name.length + 2 + mime.length)
      let p = HEADER_BYTES
      out.view.setUint8(p++, KIND_CODES[frame.kind])
      out.view.setUint8(p++, sha ? 1 : 0)
      writeU64(out.view, p, frame.size)
      p += 8
      if (sha) {
        out.bytes.set(sha.subarray(0, SHA256_BYTES), p)
        p += SHA256_BYTES
      }
      out.view.setUint16(p, name.length)
      out.bytes.set(name, p + 2)
      p += 2 + name.length
      out.view.setUint16(p, mime.length)
      out.bytes.set(mime, p + 2)
      return out.bytes
    }
    case 'chunk': {
      const out = new Uint8Array(CHUNK_HEADER_BYTES + frame.data.length)
      writeChunkHeader(out, frame.taskId, frame.offset)
      out.set(frame.data, CHUNK_HEADER_BYTES)
      return out
    }
    case 'ack': {
      const out = header(frame.type, frame.taskId, 8)
      writeU64(out.view, HEADER_BYTES, frame.received)
      return out.bytes
    }
    case 'end': {
      const out = header(frame.type, frame.taskId, SHA256_BYTES)
      out.bytes.set(frame.sha256.subarray(0, SHA256_BYTES), HEADER_BYTES)
      return out.bytes
    }
    case 'end-ack':
      return header(frame.type, frame.taskId, 0).bytes
    case 'cancel': {
      const out = header(frame.type, frame.taskId, 1)
      out.view.setUint8(HEADER_BYTES, ORIGIN_CODES[frame.origin])
      return out.bytes
    }
    case 'resume': {
      const out = header(frame.type, frame.taskId, 1 + 8)
      out.view.setUint8(HEADER_BYTES, ORIGIN_CODES[frame.origin])
      writeU64(out.view, HEADER_BYTES + 1, frame.offset)
      return out.bytes
    }
    case 'message': {
      const out = header(frame.type, frame.taskId, frame.payload.length)
      out.bytes.set(frame.payload, HEADER_BYTES)
      return out.bytes
    }
    case 'media-request': {
      const id = utf8Encode(frame.mediaId)
      const out = header(frame.type, frame.taskId, 8 + 1 + id.length)
      writeU64(out.view, HEADER_BYTES, frame.offset)
      out.view.setUint8(HEADER_BYTES + 8, id.length)
      out.bytes.set(id, HEADER_BYTES + 9)
      return out.bytes
    }
    case 'error': {
      const message = utf8EncodeTruncated(frame.message, MAX_ERROR_MESSAGE_BYTES)
      const out = header(frame.type, frame.taskId, 1 + 2 + 2 + message.length)
      out.view.setUint8(HEADER_BYTES, ORIGIN_CODES[frame.origin])
      out.view.setUint16(HEADER_BYTES + 1, ERROR_CODES[frame.code])
      out.view.setUint16(HEADER_BYTES + 3, message.length)
      out.bytes.set(message, HEADER_BYTES + 5)
      return out.bytes
    }
  }
}

/**
 * Writes a chunk frame's header into the first CHUNK_HEADER_BYTES of `frame`. The hot path: a sender
 * reads file data straight into `frame` after the header, so no chunk is copied twice.
 */
export function writeChunkHeader(frame: Uint8Array, taskId: number, offset: number): void {
  const view = new DataView(frame.buffer, frame.byteOffset, CHUNK_HEADER_BYTES)
  view.setUint8(0, PROTOCOL_VERSION)
  view.setUint8(1, TYPE_CODES.chunk)
  view.setUint32(2, taskId)
  writeU64(view, HEADER_BYTES, offset)
}

/** Decodes one frame. Never throws: anything malformed comes back as `{ ok: false, code, reason }`. */
export function decodeFrame(bytes: Uint8Array): DecodeResult {
  if (bytes.length < HEADER_BYTES) return fail(`frame of ${bytes.length} bytes is shorter than a header`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint8(0)
  if (version !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: 'unsupported-version',
      reason: `protocol version ${version}, expected ${PROTOCOL_VERSION}`,
    }
  }
  const typeCode = view.getUint8(1)
  const taskId = view.getUint32(2)
  const body = bytes.length - HEADER_BYTES
  switch (typeCode) {
    case TYPE_CODES.cmd: {
      if (body < 1) return fail('cmd frame without flags')
      const flags = view.getUint8(HEADER_BYTES)
      if (flags > 1) return fail(`cmd flags ${flags}`)
      const payload = bytes.subarray(HEADER_BYTES + 1)
      if (payload.length > MAX_CMD_BYTES) return fail(`cmd payload of ${payload.length} bytes`)
      return ok({ type: 'cmd', taskId, text: flags === 1, payload })
    }
    case TYPE_CODES.start:
      return decodeStart(bytes, view, taskId)
    case TYPE_CODES.chunk: {
      if (body < 8) return fail('chunk frame without offset')
      const offset = readU64(view, HEADER_BYTES)
      if (offset === undefined) return fail('chunk offset beyond 2^53')
      return ok({ type: 'chunk', taskId, offset, data: bytes.subarray(CHUNK_HEADER_BYTES) })
    }
    case TYPE_CODES.ack: {
      if (body !== 8) return fail(`ack frame body of ${body} bytes`)
      const received = readU64(view, HEADER_BYTES)
      if (received === undefined) return fail('ack count beyond 2^53')
      return ok({ type: 'ack', taskId, received })
    }
    case TYPE_CODES.end:
      if (body !== SHA256_BYTES) return fail(`end frame body of ${body} bytes`)
      return ok({ type: 'end', taskId, sha256: bytes.slice(HEADER_BYTES) })
    case TYPE_CODES['end-ack']:
      if (body !== 0) return fail(`end-ack frame body of ${body} bytes`)
      return ok({ type: 'end-ack', taskId })
    case TYPE_CODES.cancel: {
      if (body !== 1) return fail(`cancel frame body of ${body} bytes`)
      const origin = readOrigin(view.getUint8(HEADER_BYTES))
      if (!origin) return fail('cancel origin out of range')
      return ok({ type: 'cancel', taskId, origin })
    }
    case TYPE_CODES.error: {
      if (body < 5) return fail('error frame too short')
      const origin = readOrigin(view.getUint8(HEADER_BYTES))
      if (!origin) return fail('error origin out of range')
      const code = errorCodeFromNumber(view.getUint16(HEADER_BYTES + 1))
      if (!code) return fail(`unknown error code ${view.getUint16(HEADER_BYTES + 1)}`)
      const length = view.getUint16(HEADER_BYTES + 3)
      if (length > MAX_ERROR_MESSAGE_BYTES || body !== 5 + length) return fail('error message length mismatch')
      const message = utf8Decode(bytes.subarray(HEADER_BYTES + 5))
      if (message === undefined) return fail('error message is not UTF-8')
      return ok({ type: 'error', taskId, origin, code, message })
    }
    case TYPE_CODES.resume: {
      if (body !== 9) return fail(`resume frame body of ${body} bytes`)
      const origin = readOrigin(view.getUint8(HEADER_BYTES))
      if (!origin) return fail('resume origin out of range')
      const offset = readU64(view, HEADER_BYTES + 1)
      if (offset === undefined) return fail('resume offset beyond 2^53')
      return ok({ type: 'resume', taskId, origin, offset })
    }
    case TYPE_CODES.message: {
      const payload = bytes.subarray(HEADER_BYTES)
      if (payload.length > MAX_CMD_BYTES) return fail(`message payload of ${payload.length} bytes`)
      return ok({ type: 'message', taskId, payload })
    }
    case TYPE_CODES['media-request']: {
      if (body < 9) return fail('media-request frame too short')
      const offset = readU64(view, HEADER_BYTES)
      if (offset === undefined) return fail('media-request offset beyond 2^53')
      const length = view.getUint8(HEADER_BYTES + 8)
      if (body !== 9 + length) return fail('media-request id length mismatch')
      const mediaId = utf8Decode(bytes.subarray(HEADER_BYTES + 9))
      if (mediaId === undefined || !MEDIA_ID_PATTERN.test(mediaId)) return fail('media-request with a bad media id')
      return ok({ type: 'media-request', taskId, mediaId, offset })
    }
    default:
      return fail(`unknown frame type ${typeCode}`)
  }
}

function decodeStart(bytes: Uint8Array, view: DataView, taskId: number): DecodeResult {
  let p = HEADER_BYTES
  if (bytes.length < p + 2 + 8) return fail('start frame too short')
  const kindCode = view.getUint8(p++)
  const kind: WireKind | undefined =
    kindCode === 1 ? 'buffer' : kindCode === 2 ? 'file' : kindCode === 3 ? 'media' : undefined
  if (!kind) return fail(`start kind ${kindCode}`)
  const flags = view.getUint8(p++)
  if (flags > 1) return fail(`start flags ${flags}`)
  const size = readU64(view, p)
  if (size === undefined) return fail('start size beyond 2^53')
  p += 8
  let sha256: Uint8Array | undefined
  if (flags === 1) {
    if (bytes.length < p + SHA256_BYTES) return fail('start frame cut in its sha-256')
    sha256 = bytes.slice(p, p + SHA256_BYTES)
    p += SHA256_BYTES
  }
  const name = readString(bytes, view, p, MAX_NAME_BYTES)
  if (!name.ok) return fail(`start name: ${name.reason}`)
  p = name.next
  const mime = readString(bytes, view, p, MAX_MIME_BYTES)
  if (!mime.ok) return fail(`start mime: ${mime.reason}`)
  if (mime.next !== bytes.length) return fail('trailing bytes after start frame')
  const frame: Frame = { type: 'start', taskId, kind, size, name: name.value, mime: mime.value }
  if (sha256) frame.sha256 = sha256
  return ok(frame)
}

type ReadString = { ok: true; value: string; next: number } | { ok: false; reason: string }

function readString(bytes: Uint8Array, view: DataView, p: number, max: number): ReadString {
  if (bytes.length < p + 2) return { ok: false, reason: 'missing length' }
  const length = view.getUint16(p)
  if (length > max) return { ok: false, reason: `${length} bytes, limit ${max}` }
  if (bytes.length < p + 2 + length) return { ok: false, reason: 'truncated' }
  const value = utf8Decode(bytes.subarray(p + 2, p + 2 + length))
  if (value === undefined) return { ok: false, reason: 'not UTF-8' }
  return { ok: true, value, next: p + 2 + length }
}

function header(type: FrameType, taskId: number, bodyBytes: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(HEADER_BYTES + bodyBytes)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, PROTOCOL_VERSION)
  view.setUint8(1, TYPE_CODES[type])
  view.setUint32(2, taskId)
  return { bytes, view }
}

function writeU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, Math.floor(value / TWO_32))
  view.setUint32(at + 4, value >>> 0)
}

function readU64(view: DataView, at: number): number | undefined {
  const high = view.getUint32(at)
  if (high > MAX_U64_HIGH) return undefined
  return high * TWO_32 + view.getUint32(at + 4)
}

function readOrigin(code: number): FrameOrigin | undefined {
  return code === 0 ? 'sender' : code === 1 ? 'receiver' : undefined
}

function ok(frame: Frame): DecodeResult {
  return { ok: true, frame }
}

function fail(reason: string): DecodeResult {
  return { ok: false, code: 'protocol-error', reason }
}
