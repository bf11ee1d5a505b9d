import { BucketTable, type Rate } from './bucket-table.js'

/**
 * Token buckets by (bucket name, key), where every node of a server finds the same ones: a user who
 * reconnects to another node finds its budgets as it left them. A key never seen, or idle long enough
 * to be full again, has a full bucket.
 *
 * Methods return promises so a store shared by several server nodes fits the same shape; each call is
 * atomic on its own. A bucket name always comes with the same rate.
 */
export interface RateStore {
  /** Takes `count` tokens from the bucket, all or none; false when it has not that many. */
  take(bucket: string, key: string, rate: Rate, count: number): Promise<boolean>
  /** Tokens the bucket has now. */
  peek(bucket: string, key: string, rate: Rate): Promise<number>
  /** Sets the tokens the bucket has now (clamped to 0..burst): a node hands over a budget it kept locally. */
  put(bucket: string, key: string, rate: Rate, tokens: number): Promise<void>
}

/** The default store: one `BucketTable` per bucket name, in this process's memory. */
export class InMemoryRateStore implements RateStore {
  readonly #tables = new Map<string, BucketTable>()

  /** `now` is a monotonic clock in ms; tests pass a fake one. */
  constructor(private readonly now?: () => number) {}

  async take(bucket: string, key: string, rate: Rate, count: number): Promise<boolean> {
    return this.#table(bucket, rate).take(key, count)
  }

  async peek(bucket: string, key: string, rate: Rate): Promise<number> {
    return this.#table(bucket, rate).tokensOf(key)
  }

  async put(bucket: string, key: string, rate: Rate, tokens: number): Promise<void> {
    this.#table(bucket, rate).set(key, tokens)
  }

  #table(bucket: string, rate: Rate): BucketTable {
    let table = this.#tables.get(bucket)
    if (table === undefined) {
      table = new BucketTable(rate, this.now)
      this.#tables.set(bucket, table)
    }
    return table
  }
}
