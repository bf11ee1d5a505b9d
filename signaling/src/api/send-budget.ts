import { BucketTable } from '../limits/bucket-table.js'
import { ApiRefusal } from './api-refusal.js'

export interface SendBudgetSettings {
  perSecond: number
  burst: number
  /** A monotonic clock in ms. Default `performance.now`. */
  now?: () => number
}

/** Each `from` user's budget of server API sends: a token bucket per user, 429 `rate-limited` when empty. */
export class SendBudget {
  private readonly buckets: BucketTable

  constructor(private readonly settings: SendBudgetSettings) {
    this.buckets = new BucketTable(settings, settings.now)
  }

  /** Spends one send of `user`; throws `rate-limited` when none is left. */
  spend(user: string): void {
    if (!this.buckets.take(user)) {
      throw new ApiRefusal(429, 'rate-limited', `${user} may make ${this.settings.perSecond} sends per second`)
    }
  }
}
