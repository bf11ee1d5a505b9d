import { type Frame, RELAY_WINDOW_LIMIT_BYTES } from '@ferry/protocol'
import { MAX_RELAY_TRANSFERS_PER_USER } from './constants.js'

export type WindowVerdict = { ok: true } | { ok: false; code: 'window-exceeded' | 'too-many-tasks'; message: string }

/** One relayed transfer: where the sender's latest chunk ended, and what the receiver last acked. */
interface Transfer {
  sent: number
  acked: number
}

const OK: WindowVerdict = { ok: true }

/**
 * The transfers one user sends through the relay, keyed by (receiver, task id), and the window the
 * server holds them to: a sender may be at most `limitBytes` past the receiver's last ack.
 *
 * Everything is seen on the sender's own socket: the frames it relays (`sent`), and the frames relayed
 * to it (`delivered`), wherever the receiver is connected. A server node therefore needs no state
 * about other nodes' users.
 *
 * - A chunk sets `sent` to where it ends: the latest chunk, not the furthest, since a sender goes back
 *   to the receiver's offset after a resume.
 * - A transfer is tracked from its first relayed chunk, counted as acked up to that chunk's offset: one
 *   that began on a direct path and moved to the relay starts from where the receiver said it was.
 * - An ack, or the receiver's answer to a resume, moves `acked` (never past `sent`: a receiver cannot
 *   grant its sender more room than the bytes it was sent). Only the sender's chunks create entries,
 *   so a peer cannot fill another user's table.
 * - End-ack, cancel and error forget the transfer, as does the receiver going offline.
 */
export class RelayWindows {
  readonly #byPeer = new Map<string, Map<number, Transfer>>()
  #count = 0

  constructor(
    private readonly limitBytes = RELAY_WINDOW_LIMIT_BYTES,
    private readonly maxTransfers = MAX_RELAY_TRANSFERS_PER_USER,
  ) {}

  /** Transfers tracked now. */
  get size(): number {
    return this.#count
  }

  /** A frame this user relays to `to`. Not ok: the user broke the window (or tracks too many transfers). */
  sent(to: string, frame: Frame): WindowVerdict {
    if (frame.type === 'chunk') return this.#chunk(to, frame.taskId, frame.offset, frame.offset + frame.data.length)
    if ((frame.type === 'cancel' || frame.type === 'error') && frame.origin === 'sender') this.#forget(to, frame.taskId)
    return OK
  }

  /** A frame relayed to this user from `from`: acks, resumes and ends of the transfers this user sends. */
  delivered(from: string, frame: Frame): void {
    switch (frame.type) {
      case 'ack':
        this.#ack(from, frame.taskId, frame.received)
        break
      case 'resume':
        if (frame.origin === 'receiver') this.#ack(from, frame.taskId, frame.offset)
        break
      case 'end-ack':
        this.#forget(from, frame.taskId)
        break
      case 'cancel':
      case 'error':
        if (frame.origin === 'receiver') this.#forget(from, frame.taskId)
        break
    }
  }

  /** `peer` went offline: its transfers from this user are over. */
  forgetPeer(peer: string): void {
    const tasks = this.#byPeer.get(peer)
    if (!tasks) return
    this.#count -= tasks.size
    this.#byPeer.delete(peer)
  }

  #chunk(to: string, taskId: number, offset: number, end: number): WindowVerdict {
    let tasks = this.#byPeer.get(to)
    let transfer = tasks?.get(taskId)
    if (!transfer) {
      if (this.#count >= this.maxTransfers) {
        return {
          ok: false,
          code: 'too-many-tasks',
          message: `more than ${this.maxTransfers} transfers through the relay at once`,
        }
      }
      transfer = { sent: end, acked: offset }
      if (!tasks) {
        tasks = new Map()
        this.#byPeer.set(to, tasks)
      }
      tasks.set(taskId, transfer)
      this.#count++
    }
    transfer.sent = end
    const inFlight = transfer.sent - transfer.acked
    if (inFlight <= this.limitBytes) return OK
    return {
      ok: false,
      code: 'window-exceeded',
      message: `task ${taskId} to ${to} has ${inFlight} bytes unacknowledged, limit ${this.limitBytes}`,
    }
  }

  #ack(from: string, taskId: number, received: number): void {
    const transfer = this.#byPeer.get(from)?.get(taskId)
    if (transfer) transfer.acked = Math.min(received, transfer.sent)
  }

  #forget(peer: string, taskId: number): void {
    const tasks = this.#byPeer.get(peer)
    if (!tasks?.delete(taskId)) return
    this.#count--
    if (tasks.size === 0) this.#byPeer.delete(peer)
  }
}
