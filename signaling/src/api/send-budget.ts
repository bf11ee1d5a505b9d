import type { Rate } from '../limits/bucket-table.js'
import type { RateStore } from '../limits/rate-store.js'
import { ApiRefusal } from './api-refusal.js'

/** The rate store's bucket of server API sends. */
const BUCKET = 'apiSends'

/** Each `from` user's budget of server API sends: a token bucket per user, 429 `rate-limited` when empty. */
export class SendBudget {
  constructor(
    private readonly rate: Rate,
    private readonly rates: RateStore,
  ) {}

  /** Spends one send of `user`; rejects with `rate-limited` when none is left. */
  async spend(user: string): Promise<void> {
    if (!(await this.rates.take(BUCKET, user, this.rate, 1))) {
      throw new ApiRefusal(429, 'rate-limited', `${user} may make ${this.rate.perSecond} sends per second`)
    }
  }
}
