import { TokenBucket } from '../token-bucket.js'

/** A sustained rate and the burst allowed above it, in whatever a token counts (requests, bytes, logins). */
export interface Rate {
  perSecond: number
  burst: number
}

/**
 * Entries kept before the table looks for idle ones to drop. Sweeping is O(entries), so it runs only
 * when the table has doubled since the last sweep: amortised O(1) per take.
 */
const MIN_SWEEP_AT = 1024

/**
 * Token buckets by key (a user id, an address): the same key always gets the same bucket, so closing
 * a connection and opening another does not refill it. A bucket idle long enough to be full again
 * behaves exactly like a new one, so it is dropped then, and the table stays as small as the set of
 * keys active within one refill time.
 */
export class BucketTable {
  readonly #buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>()
  readonly #refillMs: number
  #sweepAt = MIN_SWEEP_AT

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#refillMs = (rate.burst / rate.perSecond) * 1000
  }

  /** Takes `count` tokens from `key`'s bucket, all or none. */
  take(key: string, count = 1): boolean {
    return this.#bucket(key).take(count)
  }

  /** Tokens `key` has left now (the burst for a key never seen or idle long enough). */
  tokensOf(key: string): number {
    return this.#buckets.get(key)?.bucket.tokens ?? this.rate.burst
  }

  /** Sets `key`'s tokens left now (clamped to 0..burst). */
  set(key: string, tokens: number): void {
    this.#bucket(key).tokens = tokens
  }

  #bucket(key: string): TokenBucket {
    const now = this.now()
    let entry = this.#buckets.get(key)
    if (entry === undefined) {
      if (this.#buckets.size >= this.#sweepAt) this.#sweep(now)
      entry = { bucket: new TokenBucket(this.rate.perSecond, this.rate.burst, this.now), lastUsed: now }
      this.#buckets.set(key, entry)
    }
    entry.lastUsed = now
    return entry.bucket
  }

  /** Keys tracked now. */
  get size(): number {
    return this.#buckets.size
  }

  #sweep(now: number): void {
    for (const [key, { lastUsed }] of this.#buckets) if (now - lastUsed >= this.#refillMs) this.#buckets.delete(key)
    this.#sweepAt = Math.max(MIN_SWEEP_AT, this.#buckets.size * 2)
  }
}
