import { DeliveryMetaSchema, parseValue } from '@ferry/protocol'
import type { DeliveryKey, InboxStore, KeptDelivery } from '../inbox-store.js'
import { OrderedTable } from './ordered-table.js'
import type { StateDb } from './state-db.js'

/** The length of an entry's meta JSON, before it: a uint32. */
const META_LENGTH_BYTES = 4

/**
 * Each user's inbox in the state database: entries under `[userId, from, mid]`, oldest first per user,
 * at most `maxPerUser` each (as in memory). Expired entries are left out of `list` and removed by it,
 * and by `sweep` for users who do not come back.
 */
export class LmdbInboxStore implements InboxStore {
  readonly #table: OrderedTable

  constructor(
    private readonly db: StateDb,
    corrupt: (what: string) => void,
  ) {
    this.#table = new OrderedTable(db, 'inbox', corrupt)
  }

  put(userId: string, entry: KeptDelivery, expiresAt: number, maxPerUser: number): Promise<void> {
    return this.db.transaction(() => {
      const user = [userId]
      const id = [entry.meta.from, entry.meta.mid]
      if (this.#table.get(user, id) !== undefined) return
      this.#table.put(user, id, encodeEntry(entry), expiresAt, false)
      while (this.#table.count(user) > maxPerUser) {
        const [oldest] = this.#table.oldest(user, 1)
        if (oldest === undefined) break
        this.#table.remove(user, oldest.id)
      }
    })
  }

  /**
   * Reads without a write transaction (a login reads its inbox, and most are wholly live); only when it
   * met expired or unreadable entries does it remove them, in one transaction after.
   */
  async list(userId: string, now: number): Promise<KeptDelivery[]> {
    const user = [userId]
    const kept: KeptDelivery[] = []
    const stale: (readonly string[])[] = []
    for (const { id, record } of this.#table.oldest(user, this.#table.count(user))) {
      const entry = record.expiresAt > now ? decodeEntry(record.payload) : undefined
      if (entry !== undefined) {
        kept.push(entry)
        continue
      }
      if (record.expiresAt > now) this.#table.corrupt('inbox entry')
      stale.push(id)
    }
    if (stale.length > 0) {
      await this.db.transaction(() => {
        for (const id of stale) this.#table.remove(user, id)
      })
    }
    return kept
  }

  ack(userId: string, keys: readonly DeliveryKey[]): Promise<number> {
    return this.db.transaction(() => {
      let removed = 0
      for (const { from, mid } of keys) if (this.#table.remove([userId], [from, mid])) removed++
      return removed
    })
  }

  async count(userId: string): Promise<number> {
    return this.#table.count([userId])
  }

  /**
   * Removes expired entries of up to `users` users after `after` (oldest first, to each user's first
   * live one); resolves to the last user seen, undefined once the walk reached the end.
   */
  sweep(now: number, after: readonly string[] | undefined, users: number): Promise<string[] | undefined> {
    return this.db.transaction(() => {
      const prefixes = this.#table.prefixes(after, users)
      for (const user of prefixes) {
        for (const { id, record } of this.#table.oldest(user, this.#table.count(user))) {
          if (record.expiresAt > now) break
          this.#table.remove(user, id)
        }
      }
      return prefixes.length < users ? undefined : prefixes.at(-1)
    })
  }
}

function encodeEntry({ meta, message }: KeptDelivery): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8')
  const bytes = Buffer.allocUnsafe(META_LENGTH_BYTES + json.length + message.length)
  bytes.writeUInt32BE(json.length, 0)
  json.copy(bytes, META_LENGTH_BYTES)
  bytes.set(message, META_LENGTH_BYTES + json.length)
  return bytes
}

/** The entry `encodeEntry` wrote, its meta checked as the protocol defines it; undefined for anything else. */
function decodeEntry(bytes: Buffer): KeptDelivery | undefined {
  if (bytes.length < META_LENGTH_BYTES) return undefined
  const metaBytes = bytes.readUInt32BE(0)
  if (metaBytes > bytes.length - META_LENGTH_BYTES) return undefined
  let json: unknown
  try {
    json = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(
        bytes.subarray(META_LENGTH_BYTES, META_LENGTH_BYTES + metaBytes),
      ),
    )
  } catch {
    return undefined
  }
  const meta = parseValue(DeliveryMetaSchema, json)
  if (!meta.ok) return undefined
  return { meta: meta.value, message: new Uint8Array(bytes.subarray(META_LENGTH_BYTES + metaBytes)) }
}
