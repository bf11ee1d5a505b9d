import {
  decodeCount,
  decodeRecord,
  decodeStringKey,
  encodeCount,
  encodeJson,
  encodeRecord,
  type StoredRecord,
} from './record-codec.js'
import type { StateDb, StateKey, Table } from './state-db.js'

/** Past every seq a table can hand out: the end of a range over one prefix's order. */
const SEQ_END = Number.MAX_SAFE_INTEGER

/** A record as the order lists it: its id within the prefix, and the record (undefined when unreadable). */
export interface OrderedEntry {
  id: string[]
  record: StoredRecord
}

/**
 * Records kept in the order they were put, so the oldest can go first. Each record lives under
 * `[...prefix, ...id]` in table `name`, and its place under `[...prefix, seq]` in `name.order`; the
 * number of records of each prefix is kept in `meta` under `['count', name, ...prefix]`, so bounds
 * cost no scan. Every method must run inside one of the database's transactions.
 */
export class OrderedTable {
  readonly #records: Table
  readonly #order: Table
  readonly #meta: Table

  constructor(
    db: StateDb,
    readonly name: 'inbox' | 'dedupe' | 'tokens',
    /** Told of a record that cannot be read; it is then treated as absent. */
    readonly corrupt: (what: string) => void,
  ) {
    this.#records = db.table(name)
    this.#order = db.table(`${name}.order`)
    this.#meta = db.table('meta')
  }

  get(prefix: readonly string[], id: readonly string[]): StoredRecord | undefined {
    const bytes = this.#records.get([...prefix, ...id])
    if (bytes === undefined) return undefined
    const record = decodeRecord(bytes)
    if (record === undefined) this.corrupt(`${this.name} record`)
    return record
  }

  /**
   * Keeps `payload` under the id. A new record goes last; one already there keeps its place, or goes
   * last with `toEnd`. Resolves to whether the record is new.
   */
  put(prefix: readonly string[], id: readonly string[], payload: Buffer, expiresAt: number, toEnd: boolean): boolean {
    const key = [...prefix, ...id]
    const raw = this.#records.get(key)
    const old = raw === undefined ? undefined : decodeRecord(raw)
    if (raw !== undefined && old === undefined) this.corrupt(`${this.name} record`)
    let seq = old?.seq
    if (seq === undefined || toEnd) {
      if (seq !== undefined) this.#order.removeSync([...prefix, seq])
      seq = this.#nextSeq()
      this.#order.putSync([...prefix, seq], encodeJson(id))
    }
    this.#records.putSync(key, encodeRecord({ seq, expiresAt, payload }))
    if (old === undefined) this.#addCount(prefix, 1)
    return old === undefined
  }

  /** Removes the record under the id; resolves to whether one was there. */
  remove(prefix: readonly string[], id: readonly string[]): boolean {
    const key = [...prefix, ...id]
    const raw = this.#records.get(key)
    if (raw === undefined) return false
    const record = decodeRecord(raw)
    this.#records.removeSync(key)
    // An unreadable record's place is found and dropped by `oldest` (it points at nothing live).
    if (record !== undefined) {
      this.#order.removeSync([...prefix, record.seq])
      this.#addCount(prefix, -1)
    }
    return true
  }

  /**
   * Up to `limit` records of the prefix, oldest first. A place whose record is gone or unreadable is
   * dropped on the way, and the count with it.
   */
  oldest(prefix: readonly string[], limit: number): OrderedEntry[] {
    const range = prefix.length === 0 ? {} : { start: [...prefix] as StateKey, end: [...prefix, SEQ_END] as StateKey }
    const entries: OrderedEntry[] = []
    const stale: StateKey[] = []
    let places = 0
    for (const { key, value } of this.#order.getRange({ ...range, limit: limit + STALE_SLACK })) {
      places++
      if (entries.length >= limit) break
      const seq = seqOf(key, prefix)
      const id = decodeStringKey(value)
      const record = seq === undefined || id === undefined ? undefined : this.get(prefix, id)
      if (seq === undefined || id === undefined || record === undefined || record.seq !== seq) {
        stale.push(Array.isArray(key) ? key : [key])
        continue
      }
      entries.push({ id, record })
    }
    for (const key of stale) {
      this.#order.removeSync(key)
      this.#addCount(prefix, -1)
    }
    // No place left: whatever the count says, the prefix holds nothing.
    if (places === 0) this.#meta.removeSync(['count', this.name, ...prefix])
    return entries
  }

  /** Records of the prefix. */
  count(prefix: readonly string[]): number {
    const bytes = this.#meta.get(['count', this.name, ...prefix])
    return bytes === undefined ? 0 : (decodeCount(bytes) ?? 0)
  }

  /** Prefixes holding records, from `after` on (exclusive), at most `limit` of them. */
  prefixes(after: readonly string[] | undefined, limit: number): string[][] {
    const start: StateKey = after === undefined ? ['count', this.name] : ['count', this.name, ...after]
    const found: string[][] = []
    const end: StateKey = ['count', `${this.name}\u0000`]
    for (const { key } of this.#meta.getRange({ start, end, limit: limit + 1 })) {
      if (!Array.isArray(key) || key[0] !== 'count' || key[1] !== this.name) continue
      const prefix = key.slice(2)
      if (!prefix.every((part): part is string => typeof part === 'string')) continue
      if (after !== undefined && sameKey(prefix, after)) continue
      if (found.length < limit) found.push(prefix)
    }
    return found
  }

  #nextSeq(): number {
    const bytes = this.#meta.get(['seq'])
    const seq = bytes === undefined ? 0 : (decodeCount(bytes) ?? this.#recoverSeq())
    this.#meta.putSync(['seq'], encodeCount(seq + 1))
    return seq
  }

  /** An unreadable seq counter: continue past the newest place any order table holds. */
  #recoverSeq(): number {
    this.corrupt('seq counter')
    return Date.now() * SEQS_PER_MS
  }

  #addCount(prefix: readonly string[], delta: number): void {
    const key = ['count', this.name, ...prefix]
    const next = Math.max(0, this.count(prefix) + delta)
    if (next === 0) this.#meta.removeSync(key)
    else this.#meta.putSync(key, encodeCount(next))
  }
}

/** Places past the limit a walk may read and drop as stale, so a few stale ones do not shorten it. */
const STALE_SLACK = 16

/**
 * A lost seq counter restarts at the clock times this: above any seq handed out before, unless the
 * store took more than this many puts per ms since its start, which no server does.
 */
const SEQS_PER_MS = 1000

/** The seq at the end of an order key of this prefix, or undefined for a key that is not one. */
function seqOf(stored: unknown, prefix: readonly string[]): number | undefined {
  // LMDB hands a one-element key back as the element itself.
  const key: unknown[] = Array.isArray(stored) ? stored : [stored]
  if (key.length !== prefix.length + 1) return undefined
  if (!prefix.every((part, i) => key[i] === part)) return undefined
  const seq = key[prefix.length]
  return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : undefined
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i])
}
