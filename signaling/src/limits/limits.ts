import { BucketTable, type Rate } from './bucket-table.js'
import type { LimitSettings } from './limit-settings.js'
import { InMemoryRateStore, type RateStore } from './rate-store.js'

/** What a user's requests are counted against in the shared store: one bucket per user for each. */
export type RequestKind = 'signals' | 'rooms' | 'media' | 'presence' | 'fanout' | 'acks'

/** Budgets counted on the node that holds the user's session, many times a second. */
type LocalKind = 'events' | 'relayBytes'

const LOCAL_KINDS: readonly LocalKind[] = ['events', 'relayBytes']

/**
 * The server's budgets, by user id and by address: a user who reconnects, to this node or another,
 * finds its buckets as it left them. Every handler asks here before it does any work.
 *
 * Requests that come a few at a time (logins, signals, rooms, media, presence, fan-out) are taken
 * from the shared `RateStore`, one atomic call each. The two budgets spent on every event and every
 * relayed byte are kept in this node's memory, where taking costs nothing, and handed over through
 * the store when the user leaves this node (`handOver`) and taken back at its next login
 * (`takeOver`), wherever that is.
 */
export class Limits {
  readonly settings: LimitSettings
  readonly #rates: RateStore
  readonly #local: Record<LocalKind, { table: BucketTable; rate: Rate }>

  constructor(
    settings: LimitSettings,
    relayBytes: Rate,
    rates: RateStore = new InMemoryRateStore(),
    now?: () => number,
  ) {
    this.settings = settings
    this.#rates = rates
    this.#local = {
      events: { table: new BucketTable(settings.events, now), rate: settings.events },
      relayBytes: { table: new BucketTable(relayBytes, now), rate: relayBytes },
    }
  }

  /** Takes `count` of `kind` from `userId`'s budget; false when it has not that much left. */
  take(kind: RequestKind, userId: string, count = 1): Promise<boolean> {
    return this.#rates.take(kind, userId, this.settings[kind], count)
  }

  /** One event of `userId`, whatever it is; false when its budget is spent. */
  takeEvent(userId: string): boolean {
    return this.#local.events.table.take(userId)
  }

  /** `bytes` relayed by `userId`; false when its budget has not that many left. */
  takeRelayBytes(userId: string, bytes: number): boolean {
    return this.#local.relayBytes.table.take(userId, bytes)
  }

  /** A login attempt from `address`, before its credentials are checked. */
  loginFrom(address: string): Promise<boolean> {
    return this.#rates.take('loginsPerAddress', address, this.settings.loginsPerAddress, 1)
  }

  /** A login as `userId`, once its credentials were checked. */
  loginAs(userId: string): Promise<boolean> {
    return this.#rates.take('loginsPerUser', userId, this.settings.loginsPerUser, 1)
  }

  /** `userId` left this node (offline, or replaced by a login elsewhere): its local budgets go to the store. */
  async handOver(userId: string): Promise<void> {
    await Promise.all(
      LOCAL_KINDS.map((kind) => {
        const { table, rate } = this.#local[kind]
        return this.#rates.put(kind, userId, rate, table.tokensOf(userId))
      }),
    )
  }

  /** `userId` logs in here: its local budgets are no fuller than what the store was handed. */
  async takeOver(userId: string): Promise<void> {
    await Promise.all(
      LOCAL_KINDS.map(async (kind) => {
        const { table, rate } = this.#local[kind]
        const handed = await this.#rates.peek(kind, userId, rate)
        if (handed < table.tokensOf(userId)) table.set(userId, handed)
      }),
    )
  }
}
