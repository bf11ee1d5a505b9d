import type { DeliveryMeta } from '@ferry/protocol'

/** A server-routed message kept for one recipient until its client acknowledges it. */
export interface KeptDelivery {
  meta: DeliveryMeta
  /** The `encodeMessage` bytes. */
  message: Uint8Array
}

/** What names one delivery to one recipient: its sender and mid. */
export interface DeliveryKey {
  from: string
  mid: string
}

/**
 * Each user's inbox: the deliveries addressed to them that their client has not acknowledged yet,
 * whether they were offline when it was sent or online and dropped before acking. Entries leave on
 * ack, on expiry, or when the inbox overflows (oldest first).
 *
 * Methods return promises so a file or a database shared by several nodes fits the same shape; each
 * call must be atomic on its own.
 */
export interface InboxStore {
  /**
   * Keeps `entry` for `userId` until it is acknowledged or `expiresAt` (ms since the epoch) passes. A
   * second put of the same (from, mid) for the same user changes nothing. Past `maxPerUser` entries the
   * oldest are dropped.
   */
  put(userId: string, entry: KeptDelivery, expiresAt: number, maxPerUser: number): Promise<void>
  /** The user's entries not expired at `now`, oldest first. */
  list(userId: string, now: number): Promise<KeptDelivery[]>
  /** Removes the user's entries with these keys; resolves to how many were there. */
  ack(userId: string, keys: readonly DeliveryKey[]): Promise<number>
  /** How many entries the user has, expired ones not yet swept included. */
  count(userId: string): Promise<number>
}

interface Entry {
  entry: KeptDelivery
  expiresAt: number
}

/** The default inbox: this process's memory. */
export class InMemoryInboxStore implements InboxStore {
  /** By user, then by `from\nmid`, oldest first (a Map keeps insertion order). */
  readonly #inboxes = new Map<string, Map<string, Entry>>()

  async put(userId: string, entry: KeptDelivery, expiresAt: number, maxPerUser: number): Promise<void> {
    const inbox = this.#inboxes.get(userId) ?? new Map<string, Entry>()
    const key = deliveryKey(entry.meta)
    if (inbox.has(key)) return
    inbox.set(key, { entry, expiresAt })
    while (inbox.size > maxPerUser) inbox.delete(inbox.keys().next().value!)
    this.#inboxes.set(userId, inbox)
  }

  async list(userId: string, now: number): Promise<KeptDelivery[]> {
    const inbox = this.#inboxes.get(userId)
    if (!inbox) return []
    for (const [key, { expiresAt }] of inbox) if (expiresAt <= now) inbox.delete(key)
    if (inbox.size === 0) this.#inboxes.delete(userId)
    return [...inbox.values()].map(({ entry }) => entry)
  }

  async ack(userId: string, keys: readonly DeliveryKey[]): Promise<number> {
    const inbox = this.#inboxes.get(userId)
    if (!inbox) return 0
    let removed = 0
    for (const key of keys) if (inbox.delete(deliveryKey(key))) removed++
    if (inbox.size === 0) this.#inboxes.delete(userId)
    return removed
  }

  async count(userId: string): Promise<number> {
    return this.#inboxes.get(userId)?.size ?? 0
  }
}

/** One string for a (from, mid) pair: a newline is in neither (user ids and mids are parsed). */
export function deliveryKey({ from, mid }: DeliveryKey): string {
  return `${from}\n${mid}`
}
