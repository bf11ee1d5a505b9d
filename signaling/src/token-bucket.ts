/**
 * A token bucket: `take()` succeeds while tokens remain, and tokens come back at a steady rate up to
 * the burst size. One per socket bounds how fast a client can make the server work for it.
 */
export class TokenBucket {
  readonly #ratePerMs: number
  readonly #burst: number
  readonly #now: () => number
  #tokens: number
  #last: number

  /** `now` is a monotonic clock in milliseconds; tests pass a fake one. */
  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.#ratePerMs = ratePerSecond / 1000
    this.#burst = burst
    this.#now = now
    this.#tokens = burst
    this.#last = now()
  }

  /** Takes one token. False when the bucket is empty: the caller should refuse the request. */
  take(): boolean {
    const now = this.#now()
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs)
    this.#last = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
