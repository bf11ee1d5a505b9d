import { randomBytes } from 'node:crypto'
import { type DeliveryMeta, type DeliveryTarget, OFFLINE_RETENTION_MS, type SendReceipt } from '@ferry/protocol'
import { userRoom } from '../rooms.js'
import type { SessionStore } from '../session-store.js'
import type { DedupeStore } from '../state/dedupe-store.js'
import type { InboxStore } from '../state/inbox-store.js'
import type { FerryServer, FerrySocket } from '../types.js'

/**
 * Messages kept for one user, at most. Past it the oldest are dropped: a user away for long gets the
 * newest, and one flood cannot grow the server without bound.
 */
export const MAX_KEPT_PER_USER = 1000

export interface SendInput {
  from: string
  /** The sender's dedupe key; one is made when absent. */
  mid?: string
  mtype: number
  attrs: string
  target: DeliveryTarget
  /** Who gets it. The sender is left out; duplicates count once. */
  recipients: readonly string[]
  /** Keep it for recipients who are offline, and deliver it at their next login (flagged `offline`). */
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
 * Delivers server-routed messages (room messages, server API sends) to users by id: at once to those
 * online, kept for the others when asked (store-and-forward), each (sender, mid) at most once.
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
    const recipients = [...new Set(input.recipients)].filter((user) => user !== input.from)
    for (const user of recipients) {
      if (await this.o.sessions.isOnline(user)) this.o.io.to(userRoom(user)).emit('message:deliver', meta, message)
      else if (input.keepForOffline) {
        const entry = { meta: { ...meta, offline: true }, message }
        await this.o.inbox.put(user, entry, mtime + this.retentionMs, MAX_KEPT_PER_USER)
      }
    }
    return receipt
  }

  /** A user's session is ready: hand over what was kept for them, oldest first. */
  async flush(socket: FerrySocket): Promise<void> {
    const { userId } = socket.data
    const kept = await this.o.inbox.list(userId, this.now())
    if (kept.length === 0) return
    await this.o.inbox.ack(
      userId,
      kept.map(({ meta }) => meta),
    )
    for (const { meta, message } of kept) socket.emit('message:deliver', meta, message)
  }

  /** Messages kept for `userId` now (for tests and the health page). */
  keptFor(userId: string): Promise<number> {
    return this.o.inbox.count(userId)
  }
}
