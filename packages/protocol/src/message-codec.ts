import { MAX_MESSAGE_BYTES } from './constants.js'
import type { FerryErrorCode } from './errors.js'
import type { FerryMessage } from './messages.js'
import { MESSAGE_JSON_KEYS, MediaInfoSchema, MessageJsonSchema, MessageSchema } from './schemas/message.js'
import { parseValue } from './schemas/parse.js'
import { utf8Decode, utf8Encode } from './text.js'

/**
 * Binary layout of a message (the payload of a `message` frame, and of a message kept by a server):
 *
 *   u32  JSON length
 *   JSON (UTF-8) of every field but the thumbnail (MESSAGE_JSON_KEYS, in that order)
 *   thumbnail bytes (rest; may be empty; file and image messages only)
 *
 * The thumbnail travels raw, not as base64, so a 16 KB thumbnail costs 16 KB. The whole encoding,
 * header included, is at most MAX_MESSAGE_BYTES, whatever the type. Decoding checks every field's
 * type (`MessageJsonSchema`) and the size of the message as it would be encoded again, so what a
 * server passes on is never bigger than what it was given, and decode → encode → decode is the
 * identity for every message that decodes.
 */

export type MessageCheck = { ok: true; message: FerryMessage } | { ok: false; code: FerryErrorCode; reason: string }

export type MessageDecodeResult =
  | { ok: true; message: FerryMessage }
  | { ok: false; code: FerryErrorCode; reason: string }

const HEADER_BYTES = 4

/** The bytes `encodeMessage(message)` produces, counted without building them: what MAX_MESSAGE_BYTES bounds. */
export function messageBytes(message: FerryMessage): number {
  return HEADER_BYTES + jsonOf(message).length + thumbnailOf(message).length
}

/**
 * Checks a message an application hands over: each field's type (else `invalid-argument`) and its
 * encoded size (else `message-too-large`). The message comes back with only its known fields.
 * Never throws, whatever `message` is.
 */
export function checkMessage(message: unknown): MessageCheck {
  const parsed = parseValue(MessageSchema, message)
  if (!parsed.ok) return { ok: false, code: 'invalid-argument', reason: parsed.message }
  const bytes = messageBytes(parsed.value)
  if (bytes > MAX_MESSAGE_BYTES) return tooLarge(bytes)
  return { ok: true, message: parsed.value }
}

/** Encodes a message that passed `checkMessage`: its known fields only. */
export function encodeMessage(message: FerryMessage): Uint8Array {
  const json = jsonOf(message)
  const thumbnail = thumbnailOf(message)
  const out = new Uint8Array(HEADER_BYTES + json.length + thumbnail.length)
  new DataView(out.buffer).setUint32(0, json.length)
  out.set(json, HEADER_BYTES)
  out.set(thumbnail, HEADER_BYTES + json.length)
  return out
}

/**
 * Decodes and checks a message off the network. Never throws, and allocates nothing by a size the
 * bytes claim: anything malformed comes back as `{ ok: false }`, `message-too-large` for one over
 * MAX_MESSAGE_BYTES, `protocol-error` otherwise.
 */
export function decodeMessage(bytes: Uint8Array): MessageDecodeResult {
  if (!(bytes instanceof Uint8Array)) return malformed('a message is bytes')
  if (bytes.length > MAX_MESSAGE_BYTES) return tooLarge(bytes.length)
  if (bytes.length < HEADER_BYTES) return malformed('message shorter than its header')
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0)
  if (jsonLength > bytes.length - HEADER_BYTES) return malformed('message JSON cut short')
  const text = utf8Decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength))
  if (text === undefined) return malformed('message JSON is not UTF-8')
  let fields: unknown
  try {
    fields = JSON.parse(text)
  } catch {
    return malformed('message JSON does not parse')
  }
  const parsed = parseValue(MessageJsonSchema, fields)
  if (!parsed.ok) return malformed(`message ${parsed.message}`)
  const thumbnail = bytes.subarray(HEADER_BYTES + jsonLength)
  let message: FerryMessage = parsed.value
  if (thumbnail.length > 0) {
    if (message.type === 'text') return malformed('a text message carries no thumbnail')
    message = { ...message, thumbnail: thumbnail.slice() }
  }
  // Numbers written short ("9e15") grow when written again: the limit holds for what would be passed on.
  const size = messageBytes(message)
  if (size > MAX_MESSAGE_BYTES) return tooLarge(size)
  return { ok: true, message }
}

/** A MediaInfo's fields, checked: undefined when they are fine, else what is wrong. Never throws. */
export function mediaInfoError(value: unknown): string | undefined {
  const parsed = parseValue(MediaInfoSchema, value)
  return parsed.ok ? undefined : parsed.message
}

/** The JSON part of a message, UTF-8: its known fields, in MESSAGE_JSON_KEYS order. */
function jsonOf(message: FerryMessage): Uint8Array {
  const source = message as unknown as Record<string, unknown>
  const fields: Record<string, unknown> = {}
  for (const key of MESSAGE_JSON_KEYS[message.type] ?? []) {
    if (source[key] !== undefined) fields[key] = source[key]
  }
  return utf8Encode(JSON.stringify(fields))
}

function thumbnailOf(message: FerryMessage): Uint8Array {
  return message.type !== 'text' && message.thumbnail instanceof Uint8Array ? message.thumbnail : EMPTY
}

const EMPTY = new Uint8Array(0)

function tooLarge(bytes: number): { ok: false; code: FerryErrorCode; reason: string } {
  return { ok: false, code: 'message-too-large', reason: `${bytes} bytes encoded, limit ${MAX_MESSAGE_BYTES}` }
}

function malformed(reason: string): { ok: false; code: FerryErrorCode; reason: string } {
  return { ok: false, code: 'protocol-error', reason }
}
