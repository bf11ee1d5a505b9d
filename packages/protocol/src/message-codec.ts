import { MAX_MESSAGE_BYTES, MAX_MIME_BYTES, MAX_NAME_BYTES, MEDIA_ID_PATTERN, USER_ID_PATTERN } from './constants.js'
import type { FerryErrorCode } from './errors.js'
import type { FerryMessage, MediaInfo } from './messages.js'
import { utf8Decode, utf8Encode } from './text.js'

/**
 * Binary layout of a message (the payload of a `message` frame, and of a message kept by a server):
 *
 *   u32  JSON length
 *   JSON (UTF-8) of every field but the thumbnail
 *   thumbnail bytes (rest; may be empty)
 *
 * The thumbnail travels raw, not as base64, so a 32 KB thumbnail costs 32 KB.
 */

export type MessageCheck = { ok: true } | { ok: false; code: FerryErrorCode; reason: string }

export type MessageDecodeResult =
  | { ok: true; message: FerryMessage }
  | { ok: false; code: FerryErrorCode; reason: string }

const SHA256_HEX = /^[0-9a-f]{64}$/

/** Bytes that count toward MAX_MESSAGE_BYTES: text, file name and thumbnail, as Agora counts them. */
export function messageBytes(message: FerryMessage): number {
  if (message.type === 'text') return utf8Encode(message.text).length
  return utf8Encode(message.text ?? '').length + utf8Encode(message.fileName).length + (message.thumbnail?.length ?? 0)
}

/** Checks a message's shape and size. Never throws, whatever `message` is. */
export function checkMessage(message: unknown): MessageCheck {
  const reason = shapeError(message)
  if (reason) return { ok: false, code: 'invalid-argument', reason }
  const bytes = messageBytes(message as FerryMessage)
  if (bytes > MAX_MESSAGE_BYTES) {
    return {
      ok: false,
      code: 'message-too-large',
      reason: `${bytes} bytes of text, name and thumbnail, limit ${MAX_MESSAGE_BYTES}`,
    }
  }
  return { ok: true }
}

/** Encodes a message that passed `checkMessage`. */
export function encodeMessage(message: FerryMessage): Uint8Array {
  const { thumbnail, ...fields } = message as FerryMessage & { thumbnail?: Uint8Array }
  const json = utf8Encode(JSON.stringify(fields))
  const out = new Uint8Array(4 + json.length + (thumbnail?.length ?? 0))
  new DataView(out.buffer).setUint32(0, json.length)
  out.set(json, 4)
  if (thumbnail) out.set(thumbnail, 4 + json.length)
  return out
}

/** Decodes and checks a message. Never throws: anything malformed comes back as `{ ok: false }`. */
export function decodeMessage(bytes: Uint8Array): MessageDecodeResult {
  if (bytes.length < 4) return { ok: false, code: 'protocol-error', reason: 'message shorter than its header' }
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
  if (jsonLength > bytes.length - 4) return { ok: false, code: 'protocol-error', reason: 'message JSON cut short' }
  const text = utf8Decode(bytes.subarray(4, 4 + jsonLength))
  if (text === undefined) return { ok: false, code: 'protocol-error', reason: 'message JSON is not UTF-8' }
  let fields: unknown
  try {
    fields = JSON.parse(text)
  } catch {
    return { ok: false, code: 'protocol-error', reason: 'message JSON does not parse' }
  }
  if (!isRecord(fields)) return { ok: false, code: 'protocol-error', reason: 'message JSON is not an object' }
  const thumbnail = bytes.slice(4 + jsonLength)
  const message = pick({ ...fields, ...(thumbnail.length > 0 ? { thumbnail } : {}) })
  const check = checkMessage(message)
  if (!check.ok)
    return { ok: false, code: check.code === 'invalid-argument' ? 'protocol-error' : check.code, reason: check.reason }
  return { ok: true, message: message as unknown as FerryMessage }
}

/** A MediaInfo's fields, checked. Never throws. */
export function mediaInfoError(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object'
  if (typeof value.mediaId !== 'string' || !MEDIA_ID_PATTERN.test(value.mediaId)) return 'bad mediaId'
  if (typeof value.uploader !== 'string' || !USER_ID_PATTERN.test(value.uploader)) return 'bad uploader'
  if (typeof value.fileName !== 'string' || utf8Encode(value.fileName).length > MAX_NAME_BYTES) return 'bad fileName'
  if (!isCount(value.size) || value.size === 0) return 'bad size'
  if (typeof value.mime !== 'string' || utf8Encode(value.mime).length > MAX_MIME_BYTES) return 'bad mime'
  if (typeof value.sha256 !== 'string' || !SHA256_HEX.test(value.sha256)) return 'bad sha256'
  if (!isCount(value.expiresAt)) return 'bad expiresAt'
  return undefined
}

/** Only the known fields of a message, so nothing unexpected is passed on. */
function pick(fields: Record<string, unknown>): Record<string, unknown> {
  const known = [
    'type',
    'text',
    'mediaId',
    'uploader',
    'fileName',
    'size',
    'mime',
    'sha256',
    'expiresAt',
    'thumbnail',
    'thumbnailMime',
    'width',
    'height',
    'thumbnailWidth',
    'thumbnailHeight',
  ]
  const out: Record<string, unknown> = {}
  for (const key of known) if (fields[key] !== undefined) out[key] = fields[key]
  return out
}

function shapeError(message: unknown): string | undefined {
  if (!isRecord(message)) return 'a message is an object'
  if (message.type === 'text') {
    if (typeof message.text !== 'string') return 'a text message has a string `text`'
    return undefined
  }
  if (message.type !== 'file' && message.type !== 'image') return 'message type is text, file or image'
  const info = mediaInfoError(message as unknown as MediaInfo)
  if (info) return info
  if (message.text !== undefined && typeof message.text !== 'string') return 'bad text'
  if (message.thumbnail !== undefined && !(message.thumbnail instanceof Uint8Array)) return 'thumbnail is a Uint8Array'
  if (
    message.thumbnailMime !== undefined &&
    (typeof message.thumbnailMime !== 'string' || message.thumbnailMime.length > MAX_MIME_BYTES)
  ) {
    return 'bad thumbnailMime'
  }
  if (message.type === 'image') {
    if (!isCount(message.width) || !isCount(message.height)) return 'an image message has width and height'
    for (const key of ['thumbnailWidth', 'thumbnailHeight'] as const) {
      if (message[key] !== undefined && !isCount(message[key])) return `bad ${key}`
    }
  }
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
