import {
  LINK_ID_PATTERN,
  type LinkRequestMessage,
  type LinkSignalMessage,
  MAX_SIGNAL_BYTES,
  parseValue,
  SignalDataSchema,
  USER_ID_PATTERN,
} from '@ferry/protocol'

/**
 * Shape checks for client requests. Payloads come straight off the network, so these take `unknown`
 * and never throw: a bad payload comes back as `{ ok: false, message }` (answered as `invalid-argument`).
 */
export type Validated<T> = { ok: true; value: T } | { ok: false; message: string }

export function validateLinkRequest(msg: unknown): Validated<LinkRequestMessage> {
  if (!isPlainObject(msg)) return invalid('the payload must be an object')
  if (!isUserId(msg.to)) return invalid('to must be a user id')
  return { ok: true, value: { to: msg.to } }
}

export function validateLinkSignal(msg: unknown): Validated<LinkSignalMessage> {
  if (!isPlainObject(msg)) return invalid('the payload must be an object')
  if (!isUserId(msg.to)) return invalid('to must be a user id')
  if (typeof msg.link !== 'string' || !LINK_ID_PATTERN.test(msg.link)) {
    return invalid('link must be 8 to 64 of A-Z a-z 0-9 _ -')
  }
  if (!isPlainObject(msg.data)) return invalid('data must be an object')
  const bytes = jsonBytes(msg.data)
  if (bytes === undefined) return invalid('data must be JSON')
  if (bytes > MAX_SIGNAL_BYTES) return invalid(`data is ${bytes} bytes as JSON, limit ${MAX_SIGNAL_BYTES}`)
  const data = parseValue(SignalDataSchema, msg.data)
  if (!data.ok) return invalid(`data: ${data.message}`)
  return { ok: true, value: { to: msg.to, link: msg.link, data: data.value } }
}

/** An object made by `{}` or JSON: not null, not an array, not a Buffer or other class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function isUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value)
}

/** UTF-8 length of the value's JSON, or undefined when it has none. */
function jsonBytes(value: unknown): number | undefined {
  try {
    const json = JSON.stringify(value)
    return json === undefined ? undefined : Buffer.byteLength(json, 'utf8')
  } catch {
    return undefined
  }
}

function invalid(message: string): { ok: false; message: string } {
  return { ok: false, message }
}
