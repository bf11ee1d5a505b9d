import {
  type Ack,
  type DeliveryMeta,
  type DeliveryRef,
  decodeMessage,
  type FerryErrorCode,
  MAX_ACKS_PER_EVENT,
  MAX_KEPT_PER_USER,
} from '@ferry/protocol'
import type { FerryEvents } from '../types.js'
import { RecentKeys } from './recent-keys.js'

/**
 * Deliveries held while the app has no `message` listener, at most. A full inbox handed over at login
 * (MAX_KEPT_PER_USER) fits; past it, a delivery is left unacknowledged, and the server hands it over
 * again at the next login. At most ~34 MB (a message and its attrs are at most 34 KB).
 */
export const MAX_WAITING_DELIVERIES = MAX_KEPT_PER_USER

/**
 * Deliveries whose (from, mid) the client remembers, to drop a second copy. A copy comes again only
 * from the server's inbox, which holds at most MAX_KEPT_PER_USER unacknowledged deliveries, all of
 * them among the most recent the app got; twice that leaves room for live deliveries that arrive
 * between them. About a hundred bytes each.
 */
export const MAX_SEEN_DELIVERIES = 2 * MAX_KEPT_PER_USER

/**
 * Acks wait this long for more deliveries to share their event (a full batch goes at once): a login's
 * handover or a burst costs one ack per MAX_ACKS_PER_EVENT, a trickle at most ten a second, a fifth of
 * the server's ack budget.
 */
export const ACK_BATCH_MS = 100

export interface ServerDeliveriesOptions {
  /** Whether the app listens to `message` events now. */
  listening(): boolean
  emit(event: FerryEvents['message']): void
  emitError(code: FerryErrorCode, message: string): void
  /** Sends one `message:ack`; `answer` gets the server's answer, if one comes. */
  sendAck(deliveries: DeliveryRef[], answer: (res: Ack) => void): void
}

interface Waiting {
  key: string
  event: FerryEvents['message']
}

/**
 * Server-routed messages (`message:deliver`) on their way to the app, at least once from the server
 * and exactly once to the app. A delivery waits until the app has a `message` listener (so none is
 * lost to an app that attaches one after `await connect()`, or any time later), is handed over, then
 * acknowledged in batches. One that comes again (a login hands over everything not acknowledged yet)
 * is dropped by (from, mid) and acknowledged again.
 */
export class ServerDeliveries {
  private readonly waiting: Waiting[] = []
  private readonly waitingKeys = new Set<string>()
  private readonly seen = new RecentKeys(MAX_SEEN_DELIVERIES)
  /** Handed over (or seen again), not acknowledged yet, by key; oldest first. */
  private readonly toAck = new Map<string, DeliveryRef>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(private readonly o: ServerDeliveriesOptions) {}

  /** A delivery from the server, parsed. A message that does not decode is reported, acknowledged, and not retried. */
  onDelivery(meta: DeliveryMeta, payload: Uint8Array): void {
    if (this.closed) return
    const key = deliveryKey(meta)
    if (this.seen.has(key)) {
      this.queueAck(key, meta)
      return
    }
    if (this.waitingKeys.has(key) || this.waiting.length >= MAX_WAITING_DELIVERIES) return
    const decoded = decodeMessage(payload)
    if (!decoded.ok) {
      this.seen.add(key)
      this.queueAck(key, meta)
      this.o.emitError(decoded.code, `a delivered message: ${decoded.reason}`)
      return
    }
    this.waiting.push({ key, event: { from: meta.from, taskId: meta.mid, message: decoded.message, delivery: meta } })
    this.waitingKeys.add(key)
    this.drain()
  }

  /** Hands over what waits, oldest first, for as long as the app listens. */
  drain(): void {
    while (!this.closed && this.waiting.length > 0 && this.o.listening()) {
      const { key, event } = this.waiting.shift()!
      this.waitingKeys.delete(key)
      this.seen.add(key)
      this.queueAck(key, { from: event.from, mid: event.taskId })
      this.o.emit(event)
    }
  }

  /** Sends what is to be acknowledged now and holds nothing more: what waited comes again at the next login. */
  close(): void {
    if (this.closed) return
    while (this.toAck.size > 0) this.sendBatch()
    clearTimeout(this.timer)
    this.timer = undefined
    this.closed = true
    this.waiting.length = 0
    this.waitingKeys.clear()
  }

  private queueAck(key: string, ref: DeliveryRef): void {
    this.toAck.set(key, { from: ref.from, mid: ref.mid })
    // Bounded like what it remembers: an ack dropped here only means the delivery comes again, and is dropped.
    if (this.toAck.size > MAX_SEEN_DELIVERIES) this.toAck.delete(this.toAck.keys().next().value!)
    if (this.toAck.size >= MAX_ACKS_PER_EVENT) this.sendBatch()
    else this.timer ??= setTimeout(() => this.flushAcks(), ACK_BATCH_MS)
  }

  private flushAcks(): void {
    this.timer = undefined
    while (this.toAck.size > 0) this.sendBatch()
  }

  private sendBatch(): void {
    const batch: DeliveryRef[] = []
    for (const [key, ref] of this.toAck) {
      if (batch.length === MAX_ACKS_PER_EVENT) break
      batch.push(ref)
      this.toAck.delete(key)
    }
    if (this.toAck.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    this.o.sendAck(batch, (res) => {
      // Past the server's ack budget: try again with the next batch. Any other refusal leaves them
      // kept, to come again at the next login.
      if (res.ok || res.code !== 'rate-limited' || this.closed) return
      for (const ref of batch) this.toAck.set(deliveryKey(ref), ref)
      this.timer ??= setTimeout(() => this.flushAcks(), ACK_BATCH_MS)
    })
  }
}

function deliveryKey({ from, mid }: DeliveryRef): string {
  return `${from}\n${mid}`
}
