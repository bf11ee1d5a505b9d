/**
 * How records are laid out on disk: fixed-width numbers first, then the payload. Every decoder returns
 * undefined for bytes it cannot read (a torn or tampered record) instead of throwing.
 */

/** A record of an ordered table: its place in the order, its expiry, and what it keeps. */
export interface StoredRecord {
  /** Where it stands in its table's order; larger is newer. */
  seq: number
  /** Ms since the epoch; the record is gone at and after it. */
  expiresAt: number
  payload: Buffer
}

/** Two float64s: seq, then expiresAt. */
const RECORD_HEADER_BYTES = 16

export function encodeRecord({ seq, expiresAt, payload }: StoredRecord): Buffer {
  const bytes = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length)
  bytes.writeDoubleBE(seq, 0)
  bytes.writeDoubleBE(expiresAt, 8)
  payload.copy(bytes, RECORD_HEADER_BYTES)
  return bytes
}

export function decodeRecord(bytes: unknown): StoredRecord | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length < RECORD_HEADER_BYTES) return undefined
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
  const seq = buffer.readDoubleBE(0)
  const expiresAt = buffer.readDoubleBE(8)
  if (!Number.isSafeInteger(seq) || seq < 0 || Number.isNaN(expiresAt)) return undefined
  return { seq, expiresAt, payload: Buffer.from(buffer.subarray(RECORD_HEADER_BYTES)) }
}

/** A whole number kept on its own (counters, the next seq). */
export function encodeCount(n: number): Buffer {
  const bytes = Buffer.allocUnsafe(8)
  bytes.writeDoubleBE(n, 0)
  return bytes
}

export function decodeCount(bytes: unknown): number | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 8) return undefined
  const n = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readDoubleBE(0)
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

/** The JSON value in `bytes`, or undefined when they are not UTF-8 JSON. */
export function decodeJson(bytes: unknown): unknown {
  if (!(bytes instanceof Uint8Array)) return undefined
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
  } catch {
    return undefined
  }
}

/** A key as an array of strings, as JSON (the value of an order table's entry). */
export function decodeStringKey(bytes: unknown): string[] | undefined {
  const key = decodeJson(bytes)
  return Array.isArray(key) && key.every((part) => typeof part === 'string') ? (key as string[]) : undefined
}
