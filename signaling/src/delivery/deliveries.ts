import { randomBytes } from 'node:crypto'
import {
  type DeliveryMeta,
  type DeliveryRef,
  type DeliveryTarget,
  MAX_KEPT_PER_USER,
  OFFLINE_RETENTION_MS,
  type SendReceipt,
} from '@ferry/protocol'
import { userRoom } from '../rooms.js'
import type { SessionStore } from '../session-store.js'
import type { DedupeStore } from '../state/dedupe-store.js'
import type { InboxStore } from '../state/inbox-store.js'
import type { FerryServer, FerrySocket } from '../types.js'

export { MAX_KEPT_PER_USER }

export interface SendInput {
  from: string
  /** The sender's dedupe key; one is made when absent. */
  mid?: string
  mtype: number
  attrs: string
  target: DeliveryTarget
  /** Who gets it. The sender is left out; duplicates count once. */
  recipients: readonly string[]
  /**
   * Keep it for recipients who are offline, and deliver it at their next login (flagged `offline`).
   * Recipients online get it at once either way, and it stays kept for them until their client acks it.
   */
  keepForOffline: boolean
}

export interface DeliveriesOptions {
  io: FerryServer
  sessions: SessionStore
  inbox: InboxStore
  dedupe: DedupeStore
  /** How long kept messages and remembered mids last. Default OFFLINE_RETENTION_MS. */
  retentionMs?: number
  now?: () => number
}

/**
 * Delivers server-routed messages (room messages, server API sends) to users by id, at least once: at
 * once to those online, kept for the others when asked (store-and-forward), each (sender, mid) sent at
 * most once. Every delivery stays in the recipient's inbox until their client acknowledges it
 * (`message:ack`), and each login hands the inbox over again, so a connection that drops with a
 * delivery in flight loses nothing; clients drop the second copy by (from, mid).
 */
export class Deliveries {
  private readonly retentionMs: number
  private readonly now: () => number

  constructor(private readonly o: DeliveriesOptions) {
    this.retentionMs = o.retentionMs ?? OFFLINE_RETENTION_MS
    this.now = o.now ?? Date.now
  }

  /** Sends `message` (encodeMessage bytes). A resend with a mid already used by `from` returns the first receipt and delivers nothing. */
  async send(input: SendInput, message: Uint8Array): Promise<SendReceipt> {
    const mtime = this.now()
    const receipt: SendReceipt = { mid: input.mid ?? randomBytes(12).toString('base64url'), mtime }
    const key = { scope: 'message', from: input.from, mid: receipt.mid } as const
    const previous = await this.o.dedupe.claim(key, JSON.stringify(receipt), mtime + this.retentionMs)
    if (previous !== undefined) return JSON.parse(previous) as SendReceipt

    const meta: DeliveryMeta = {
      mid: receipt.mid,
      mtime: receipt.mtime,
      from: input.from,
      mtype: input.mtype,
      attrs: input.attrs,
      target: input.target,
      offline: false,
    }
    // What the inbox hands over comes at a login, after the live copy was lost or never sent.
    const kept = { meta: { ...meta, offline: true }, message }
    const expiresAt = mtime + this.retentionMs
    const recipients = [...new Set(input.recipients)].filter((user) => user !== input.from)
    // Recipients side by side: each one's own steps stay in order, and a file or Redis state commits
    // the puts of one send together instead of one round trip after another.
    await Promise.all(
      recipients.map(async (user) => {
        if (input.keepForOffline) {
          // Kept before the online check: a login in between hands it over from the inbox or gets it
          // live (or both: the client drops the second), never neither.
          await this.o.inbox.put(user, kept, expiresAt, MAX_KEPT_PER_USER)
          if (await this.o.sessions.isOnline(user)) this.emit(user, meta, message)
        } else if (await this.o.sessions.isOnline(user)) {
          await this.o.inbox.put(user, kept, expiresAt, MAX_KEPT_PER_USER)
          this.emit(user, meta, message)
        }
      }),
    )
    return receipt
  }

  /**
   * A user's session is ready: hand over their inbox, oldest first. Nothing leaves it here: each entry
   * stays until the client acks it, and comes again at the next login if it does not.
   */
  async flush(socket: FerrySocket): Promise<void> {
    const kept = await this.o.inbox.list(socket.data.userId, this.now())
    for (const { meta, message } of kept) {
      if (socket.disconnected) return
      socket.emit('message:deliver', meta, message)
    }
  }

  /** `userId`'s client acknowledged `deliveries`: they leave that user's inbox (and no one else's). Resolves to how many were there. */
  ack(userId: string, deliveries: readonly DeliveryRef[]): Promise<number> {
    return this.o.inbox.ack(userId, deliveries)
  }

  /** Deliveries kept for `userId` now, unacknowledged (for tests and the health page). */
  keptFor(userId: string): Promise<number> {
    return this.o.inbox.count(userId)
  }

  private emit(user: string, meta: DeliveryMeta, message: Uint8Array): void {
    this.o.io.to(userRoom(user)).emit('message:deliver', meta, message)
  }
}
