import { BucketTable } from './bucket-table.js'
import type { LimitSettings } from './limit-settings.js'

/** What a user's requests are counted against: one bucket per user for each. */
export type RequestKind = 'events' | 'signals' | 'rooms' | 'media' | 'presence' | 'fanout' | 'acks'

/**
 * The server's budgets, by user id and by address, for its whole life: a user who reconnects finds
 * its buckets as it left them. Every handler asks here before it does any work.
 */
export class Limits {
  readonly settings: LimitSettings
  readonly #byUser: Record<RequestKind, BucketTable>
  readonly #loginsByAddress: BucketTable
  readonly #loginsByUser: BucketTable

  constructor(settings: LimitSettings, now?: () => number) {
    this.settings = settings
    this.#byUser = {
      events: new BucketTable(settings.events, now),
      signals: new BucketTable(settings.signals, now),
      rooms: new BucketTable(settings.rooms, now),
      media: new BucketTable(settings.media, now),
      presence: new BucketTable(settings.presence, now),
      fanout: new BucketTable(settings.fanout, now),
      acks: new BucketTable(settings.acks, now),
    }
    this.#loginsByAddress = new BucketTable(settings.loginsPerAddress, now)
    this.#loginsByUser = new BucketTable(settings.loginsPerUser, now)
  }

  /** Takes `count` of `kind` from `userId`'s budget; false when it has not that much left. */
  take(kind: RequestKind, userId: string, count = 1): boolean {
    return this.#byUser[kind].take(userId, count)
  }

  /** A login attempt from `address`, before its credentials are checked. */
  loginFrom(address: string): boolean {
    return this.#loginsByAddress.take(address)
  }

  /** A login as `userId`, once its credentials were checked. */
  loginAs(userId: string): boolean {
    return this.#loginsByUser.take(userId)
  }
}
