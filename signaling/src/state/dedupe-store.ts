/** What a dedupe record is about: a message send or a file send, by its sender and mid. */
export interface DedupeKey {
  scope: 'message' | 'file'
  from: string
  mid: string
}

/**
 * The first answer to each send that carried a mid, kept until it expires, so a resend with the same
 * mid gets that answer and delivers nothing twice. Values are JSON text, which every backend keeps as
 * it is.
 *
 * Methods return promises so a file or a database shared by several nodes fits the same shape; each
 * call must be atomic on its own.
 */
export interface DedupeStore {
  /**
   * Records `value` under `key` unless a live record is there. Resolves to that live record (and
   * changes nothing), or to undefined when `value` was recorded.
   */
  claim(key: DedupeKey, value: string, expiresAt: number): Promise<string | undefined>
  /** The live record under `key`. */
  get(key: DedupeKey): Promise<string | undefined>
  /** Records `value` under `key`, replacing any record. */
  set(key: DedupeKey, value: string, expiresAt: number): Promise<void>
}

/**
 * Records one process keeps, at most; past it the oldest go first. Bounds the memory a flood of sends
 * with fresh mids can take; 100,000 covers a busy server's retention window of resends.
 */
export const MAX_DEDUPE_RECORDS = 100_000

/** The default store: this process's memory. */
export class InMemoryDedupeStore implements DedupeStore {
  /** By `scope\nfrom\nmid`, oldest first. */
  readonly #records = new Map<string, { value: string; expiresAt: number }>()

  constructor(
    private readonly now: () => number = Date.now,
    /** MAX_DEDUPE_RECORDS unless a test fills a smaller store. */
    private readonly maxRecords = MAX_DEDUPE_RECORDS,
  ) {}

  async claim(key: DedupeKey, value: string, expiresAt: number): Promise<string | undefined> {
    const live = this.#live(key)
    if (live !== undefined) return live
    this.#put(key, value, expiresAt)
    return undefined
  }

  async get(key: DedupeKey): Promise<string | undefined> {
    return this.#live(key)
  }

  async set(key: DedupeKey, value: string, expiresAt: number): Promise<void> {
    this.#records.delete(dedupeKey(key))
    this.#put(key, value, expiresAt)
  }

  #live(key: DedupeKey): string | undefined {
    const record = this.#records.get(dedupeKey(key))
    if (record === undefined) return undefined
    if (record.expiresAt > this.now()) return record.value
    this.#records.delete(dedupeKey(key))
    return undefined
  }

  #put(key: DedupeKey, value: string, expiresAt: number): void {
    this.#records.set(dedupeKey(key), { value, expiresAt })
    if (this.#records.size > this.maxRecords) this.#records.delete(this.#records.keys().next().value!)
  }
}

/** One string for a key: newlines are in none of its parts (scopes are fixed, ids and mids parsed). */
export function dedupeKey({ scope, from, mid }: DedupeKey): string {
  return `${scope}\n${from}\n${mid}`
}
