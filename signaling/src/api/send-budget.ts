import { MAX_TRACKED_SENDERS } from '../constants.js'
import { TokenBucket } from '../token-bucket.js'
import { ApiRefusal } from './api-refusal.js'

export interface SendBudgetSettings {
  perSecond: number
  burst: number
  /** A monotonic clock in ms. Default `performance.now`. */
  now?: () => number
}

/** Each `from` user's budget of server API sends: a token bucket per user, 429 `rate-limited` when empty. */
export class SendBudget {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>()
  private readonly now: () => number

  constructor(private readonly settings: SendBudgetSettings) {
    this.now = settings.now ?? (() => performance.now())
  }

  /** Spends one send of `user`; throws `rate-limited` when none is left. */
  spend(user: string): void {
    const now = this.now()
    if (this.buckets.size >= MAX_TRACKED_SENDERS && !this.buckets.has(user)) this.dropFull(now)
    const entry = this.buckets.get(user) ?? {
      bucket: new TokenBucket(this.settings.perSecond, this.settings.burst, this.now),
      lastUsed: now,
    }
    entry.lastUsed = now
    this.buckets.set(user, entry)
    if (!entry.bucket.take()) {
      throw new ApiRefusal(429, 'rate-limited', `${user} may make ${this.settings.perSecond} sends per second`)
    }
  }

  /** Forgets budgets idle long enough to be full again: they would behave exactly like new ones. */
  private dropFull(now: number): void {
    const refillMs = (this.settings.burst / this.settings.perSecond) * 1000
    for (const [user, { lastUsed }] of this.buckets) if (now - lastUsed >= refillMs) this.buckets.delete(user)
  }
}
