/**
 * A token bucket: `take()` succeeds while tokens remain, and tokens come back at a steady rate up to
 * the burst size. A token is whatever the caller counts: one request (signaling), or one byte (relay).
 * One per socket bounds how fast a client can make the server work for it.
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

  /**
   * Takes `count` tokens (one by default), all or none. False when fewer remain: the caller should
   * refuse the request. A count above the burst can never be taken.
   */
  take(count = 1): boolean {
    this.#refill()
    if (this.#tokens < count) return false
    this.#tokens -= count
    return true
  }

  /** Tokens left now. */
  get tokens(): number {
    this.#refill()
    return this.#tokens
  }

  /** Sets the tokens left now (clamped to 0..burst), e.g. to what another node handed over. */
  set tokens(tokens: number) {
    this.#refill()
    this.#tokens = Math.max(0, Math.min(this.#burst, tokens))
  }

  #refill(): void {
    const now = this.#now()
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs)
    this.#last = now
  }
}
