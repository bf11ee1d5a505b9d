import { randomBytes } from 'node:crypto'
import { type DeliveryMeta, type DeliveryTarget, OFFLINE_RETENTION_MS, type SendReceipt } from '@ferry/protocol'
import { userRoom } from '../rooms.js'
import type { SessionStore } from '../session-store.js'
import type { FerryServer, FerrySocket } from '../types.js'

/**
 * Messages kept for one offline user, at most. Past it the oldest are dropped: a user away for long
 * gets the newest, and one flood cannot grow the server without bound.
 */
const MAX_KEPT_PER_USER = 1000

/** Mids remembered for dedupe, at most; the oldest are forgotten first (they also expire). */
const MAX_MIDS_KEPT = 100_000

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

interface Kept {
  meta: DeliveryMeta
  message: Uint8Array
}

export interface DeliveriesOptions {
  io: FerryServer
  store: SessionStore
  /** How long kept messages and remembered mids last. Default OFFLINE_RETENTION_MS. */
  retentionMs?: number
  now?: () => number
}

/**
 * Delivers server-routed messages (room messages, server API sends) to users by id: at once to those
 * online, kept for the others when asked (store-and-forward), each (sender, mid) at most once.
 */
export class Deliveries {
  private readonly receipts = new Map<string, { receipt: SendReceipt; at: number }>()
  private readonly kept = new Map<string, Kept[]>()
  private readonly retentionMs: number
  private readonly now: () => number

  constructor(private readonly o: DeliveriesOptions) {
    this.retentionMs = o.retentionMs ?? OFFLINE_RETENTION_MS
    this.now = o.now ?? Date.now
  }

  /** Sends `message` (encodeMessage bytes). A resend with a mid already used by `from` returns the first receipt and delivers nothing. */
  async send(input: SendInput, message: Uint8Array): Promise<SendReceipt> {
    this.forgetExpired()
    const key = input.mid === undefined ? undefined : `${input.from}\n${input.mid}`
    const previous = key === undefined ? undefined : this.receipts.get(key)
    if (previous) return previous.receipt
    const receipt: SendReceipt = { mid: input.mid ?? randomBytes(12).toString('base64url'), mtime: this.now() }
    this.receipts.set(key ?? `${input.from}\n${receipt.mid}`, { receipt, at: receipt.mtime })
    if (this.receipts.size > MAX_MIDS_KEPT) this.receipts.delete(this.receipts.keys().next().value!)

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
      if (await this.o.store.isOnline(user)) this.o.io.to(userRoom(user)).emit('message:deliver', meta, message)
      else if (input.keepForOffline) this.keep(user, { meta: { ...meta, offline: true }, message })
    }
    return receipt
  }

  /** A user's session is ready: hand over what was kept for them, oldest first. */
  flush(socket: FerrySocket): void {
    const { userId } = socket.data
    const kept = this.kept.get(userId)
    if (!kept) return
    this.kept.delete(userId)
    const oldest = this.now() - this.retentionMs
    for (const { meta, message } of kept) if (meta.mtime >= oldest) socket.emit('message:deliver', meta, message)
  }

  /** Messages kept for `userId` now (for tests and the health page). */
  keptFor(userId: string): number {
    return this.kept.get(userId)?.length ?? 0
  }

  private keep(user: string, entry: Kept): void {
    const list = this.kept.get(user) ?? []
    list.push(entry)
    if (list.length > MAX_KEPT_PER_USER) list.shift()
    this.kept.set(user, list)
  }

  private forgetExpired(): void {
    const oldest = this.now() - this.retentionMs
    for (const [key, { at }] of this.receipts) {
      if (at >= oldest) break
      this.receipts.delete(key)
    }
    for (const [user, list] of this.kept) {
      const fresh = list.filter((entry) => entry.meta.mtime >= oldest)
      if (fresh.length === 0) this.kept.delete(user)
      else if (fresh.length !== list.length) this.kept.set(user, fresh)
    }
  }
}
