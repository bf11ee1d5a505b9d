import {
  DeliveryMetaSchema,
  type FileCommand,
  MAX_RECIPIENTS,
  parseValue,
  ROOM_ID_PATTERN,
  type SendTarget,
  USER_ID_PATTERN,
} from '@ferry/protocol'
import type { StoredGrant } from '../file-token-store.js'
import type { KeptDelivery } from '../inbox-store.js'

/**
 * What the Redis state writes as text and reads back. Whatever is in Redis is read as untrusted (another
 * version of the server, an operator's hand, a shared instance): each value is parsed into its type
 * and anything else reads as absent, never as a throw.
 */

/** A kept delivery as stored: its envelope and its message bytes in base64. */
export function encodeKept(entry: KeptDelivery): string {
  return JSON.stringify({ meta: entry.meta, message: Buffer.from(entry.message).toString('base64') })
}

export function decodeKept(text: unknown): KeptDelivery | undefined {
  const value = parseJson(text)
  if (!isRecord(value) || typeof value.message !== 'string') return undefined
  const meta = parseValue(DeliveryMetaSchema, value.meta)
  if (!meta.ok) return undefined
  const bytes = Buffer.from(value.message, 'base64')
  return { meta: meta.value, message: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }
}

export function encodeGrant(grant: StoredGrant): string {
  return JSON.stringify(grant)
}

const GRANT_COMMANDS: ReadonlySet<string> = new Set<Exclude<FileCommand, 'broadcastfile'>>([
  'sendfile',
  'sendfiles',
  'sendgroupfile',
  'sendroomfile',
])

export function decodeGrant(text: unknown): StoredGrant | undefined {
  const value = parseJson(text)
  if (!isRecord(value) || !isRecord(value.target)) return undefined
  const { from, cmd, expiresAt, target } = value
  if (typeof from !== 'string' || !USER_ID_PATTERN.test(from)) return undefined
  if (typeof cmd !== 'string' || !GRANT_COMMANDS.has(cmd)) return undefined
  if (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)) return undefined
  const parsed: SendTarget = {}
  const { to, tos, gid, rid } = target
  if (to !== undefined) {
    if (typeof to !== 'string' || !USER_ID_PATTERN.test(to)) return undefined
    parsed.to = to
  }
  if (tos !== undefined) {
    if (!Array.isArray(tos) || tos.length > MAX_RECIPIENTS) return undefined
    if (!tos.every((user) => typeof user === 'string' && USER_ID_PATTERN.test(user))) return undefined
    parsed.tos = tos as string[]
  }
  for (const [name, id] of [
    ['gid', gid],
    ['rid', rid],
  ] as const) {
    if (id === undefined) continue
    if (typeof id !== 'string' || !ROOM_ID_PATTERN.test(id)) return undefined
    parsed[name] = id
  }
  return { from, cmd: cmd as StoredGrant['cmd'], expiresAt, target: parsed }
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
