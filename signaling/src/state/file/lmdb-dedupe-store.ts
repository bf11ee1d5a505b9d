import { type DedupeKey, type DedupeStore, MAX_DEDUPE_RECORDS } from '../dedupe-store.js'
import { OrderedTable } from './ordered-table.js'
import type { StateDb } from './state-db.js'

/** No prefix: one order over every record, so the oldest of all go first past the bound. */
const ALL: readonly string[] = []

/**
 * Dedupe records in the state database, oldest first, at most `maxRecords` (MAX_DEDUPE_RECORDS, as in
 * memory). Expired records are invisible at once and removed on the next claim or set of their key,
 * by the bound, or by `sweep`.
 */
export class LmdbDedupeStore implements DedupeStore {
  readonly #table: OrderedTable

  constructor(
    private readonly db: StateDb,
    corrupt: (what: string) => void,
    private readonly now: () => number = Date.now,
    private readonly maxRecords = MAX_DEDUPE_RECORDS,
  ) {
    this.#table = new OrderedTable(db, 'dedupe', corrupt)
  }

  claim(key: DedupeKey, value: string, expiresAt: number): Promise<string | undefined> {
    return this.db.transaction(() => {
      const live = this.#live(key)
      if (live !== undefined) return live
      this.#put(key, value, expiresAt)
      return undefined
    })
  }

  async get(key: DedupeKey): Promise<string | undefined> {
    return this.#live(key)
  }

  set(key: DedupeKey, value: string, expiresAt: number): Promise<void> {
    return this.db.transaction(() => this.#put(key, value, expiresAt))
  }

  /** Removes up to `limit` expired records, oldest first, stopping at the first live one. */
  sweep(limit: number): Promise<number> {
    return this.db.transaction(() => {
      const now = this.now()
      let removed = 0
      for (const { id, record } of this.#table.oldest(ALL, limit)) {
        if (record.expiresAt > now) break
        if (this.#table.remove(ALL, id)) removed++
      }
      return removed
    })
  }

  #live(key: DedupeKey): string | undefined {
    const record = this.#table.get(ALL, idOf(key))
    if (record === undefined || record.expiresAt <= this.now()) return undefined
    const value = decodeText(record.payload)
    if (value === undefined) this.#table.corrupt('dedupe value')
    return value
  }

  /** A new record, or a replaced one, goes last; past the bound the oldest go. */
  #put(key: DedupeKey, value: string, expiresAt: number): void {
    this.#table.put(ALL, idOf(key), Buffer.from(value, 'utf8'), expiresAt, true)
    while (this.#table.count(ALL) > this.maxRecords) {
      const [oldest] = this.#table.oldest(ALL, 1)
      if (oldest === undefined) break
      this.#table.remove(ALL, oldest.id)
    }
  }
}

function idOf({ scope, from, mid }: DedupeKey): string[] {
  return [scope, from, mid]
}

/** UTF-8 text, or undefined for bytes that are not. */
function decodeText(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}
