import {
  type Frame,
  MAX_RELAY_TRANSFERS_PER_USER,
  RELAY_HOLD_MS,
  RELAY_USER_WINDOW_BYTES,
  RELAY_WINDOW_LIMIT_BYTES,
} from '@ferry/protocol'

/**
 * What to do with a frame a user relays: forward it, drop it (a chunk of a transfer its receiver
 * already ended: nobody reads it), or cut the user off with a code.
 */
export type WindowVerdict =
  | { ok: true; drop?: true }
  | { ok: false; code: 'window-exceeded' | 'too-many-tasks' | 'protocol-error'; message: string }

/** One relayed transfer, as the server counts it. */
interface Transfer {
  peer: string
  taskId: number
  /** Chunk bytes forwarded and not yet credited by the receiver. */
  unacked: number
  /** The receiver's furthest ack (or its answer to a resume): an ack credits only what lies beyond. */
  ackedTo: number
  /** Where the furthest chunk forwarded ends. */
  sentTo: number
  /** When its latest chunk was forwarded (ms). */
  lastChunkAt: number
  /** The sender cancelled or failed it: still charged until the receiver confirms. */
  closing: boolean
}

export interface RelayWindowLimits {
  /** Unacknowledged bytes one transfer may have. */
  transferBytes: number
  /** Unacknowledged bytes all of a user's transfers may have together. */
  userBytes: number
  /** Transfers tracked at once, running or closing. */
  transfers: number
  /** How long after its latest chunk a transfer stays charged without a word from its receiver. */
  holdMs: number
}

const DEFAULTS: RelayWindowLimits = {
  transferBytes: RELAY_WINDOW_LIMIT_BYTES,
  userBytes: RELAY_USER_WINDOW_BYTES,
  transfers: MAX_RELAY_TRANSFERS_PER_USER,
  holdMs: RELAY_HOLD_MS,
}

/**
 * Transfers whose receiver ended them, remembered (for RELAY_HOLD_MS) so that chunks the sender had
 * already relayed are dropped instead of counted as a new transfer nobody will ever end. Four times
 * the transfers tracked at once: ends come at most as fast as transfers start, and a receiver that
 * ends tasks it never had only pushes out its own entries early.
 */
const ENDED_KEPT = 4 * MAX_RELAY_TRANSFERS_PER_USER

const FORWARD: WindowVerdict = { ok: true }
const DROP: WindowVerdict = { ok: true, drop: true }

/**
 * The transfers one user sends through the relay, keyed by (receiver, task id), and the windows the
 * server holds them to. What a window counts is bytes forwarded: every chunk's data, whatever its
 * offset, minus what the receiver credited. Repeating an offset, going back, or ending a transfer and
 * starting another therefore never gives a sender more room; only its receivers do.
 *
 * Everything is seen on the sender's own socket: the frames it relays (`sent`), and the frames relayed
 * to it (`delivered`), wherever the receiver is connected. A server node therefore needs no state
 * about other nodes' users.
 *
 * - A transfer is tracked from its first relayed chunk, its acks counted from that chunk's offset (one
 *   that began on a direct path goes on from where the receiver said it was). Only the sender's chunks
 *   create entries, so a peer cannot fill another user's table.
 * - The receiver's acks credit what they move past its previous ack, never more than is unacknowledged.
 *   Its answer to a resume re-bases the transfer: it has every byte before its offset, so what is
 *   unacknowledged is at most what was forwarded beyond it (a sender asking again and again gains
 *   nothing). Acks and resumes the sender relays itself credit nothing.
 * - At most `transferBytes` unacknowledged per transfer, `userBytes` across them all, `transfers` tracked.
 * - The sender's cancel or error does not end its charge: the transfer is closing, and held until the
 *   receiver confirms (its cancel, error or end-ack relayed back) or goes offline. A chunk for a
 *   closing transfer is a protocol violation.
 * - The receiver's end-ack, cancel or error ends the transfer, as does the receiver going offline.
 *   Chunks of it still on their way are dropped, until the sender starts that task id again.
 * - A transfer none of whose chunks was forwarded for `holdMs` is dropped, closing or not: every byte
 *   of it has been read by then, or its receiver missed Socket.IO's heartbeat and was disconnected.
 */
export class RelayWindows {
  readonly #limits: RelayWindowLimits
  readonly #byPeer = new Map<string, Map<number, Transfer>>()
  /** Every transfer, the one whose latest chunk is oldest first. */
  readonly #byAge = new Set<Transfer>()
  /** Transfers their receiver ended, by `peer\ntaskId`, with when; oldest first. */
  readonly #ended = new Map<string, number>()
  #unacked = 0

  constructor(
    limits: Partial<RelayWindowLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.#limits = { ...DEFAULTS, ...limits }
  }

  /** Transfers tracked now, running or closing. */
  get size(): number {
    this.#expire()
    return this.#byAge.size
  }

  /** Chunk bytes this user relayed that its receivers have not credited yet, across its transfers. */
  get unackedBytes(): number {
    this.#expire()
    return this.#unacked
  }

  /** A frame this user relays to `to`: forward it, drop it, or cut the user off. */
  sent(to: string, frame: Frame): WindowVerdict {
    this.#expire()
    switch (frame.type) {
      case 'chunk':
        return this.#chunk(to, frame.taskId, frame.offset, frame.data.length)
      case 'start':
        this.#ended.delete(keyOf(to, frame.taskId))
        break
      case 'cancel':
      case 'error': {
        const transfer = this.#find(to, frame.taskId)
        if (frame.origin === 'sender' && transfer) transfer.closing = true
        break
      }
    }
    return FORWARD
  }

  /** A frame relayed to this user from `from`: acks, resumes and ends of the transfers this user sends. */
  delivered(from: string, frame: Frame): void {
    switch (frame.type) {
      case 'ack':
        this.#credit(from, frame.taskId, frame.received)
        break
      case 'resume':
        if (frame.origin === 'receiver') this.#rebase(from, frame.taskId, frame.offset)
        break
      case 'end-ack':
        this.#receiverEnded(from, frame.taskId)
        break
      case 'cancel':
      case 'error':
        if (frame.origin === 'receiver') this.#receiverEnded(from, frame.taskId)
        break
    }
  }

  /** `peer` went offline: its transfers from this user are over. */
  forgetPeer(peer: string): void {
    for (const transfer of [...(this.#byPeer.get(peer)?.values() ?? [])]) this.#forget(transfer)
  }

  #chunk(to: string, taskId: number, offset: number, bytes: number): WindowVerdict {
    let transfer = this.#find(to, taskId)
    if (transfer?.closing) {
      return {
        ok: false,
        code: 'protocol-error',
        message: `a chunk of task ${taskId} to ${to} after its sender ended it`,
      }
    }
    if (!transfer) {
      if (this.#ended.has(keyOf(to, taskId))) return DROP
      if (this.#byAge.size >= this.#limits.transfers) {
        return {
          ok: false,
          code: 'too-many-tasks',
          message: `more than ${this.#limits.transfers} transfers through the relay at once`,
        }
      }
      transfer = this.#track(to, taskId, offset)
    }
    transfer.unacked += bytes
    transfer.sentTo = Math.max(transfer.sentTo, offset + bytes)
    transfer.lastChunkAt = this.now()
    this.#byAge.delete(transfer)
    this.#byAge.add(transfer)
    this.#unacked += bytes
    if (transfer.unacked > this.#limits.transferBytes) {
      return {
        ok: false,
        code: 'window-exceeded',
        message: `task ${taskId} to ${to} has ${transfer.unacked} bytes unacknowledged, limit ${this.#limits.transferBytes}`,
      }
    }
    if (this.#unacked > this.#limits.userBytes) {
      return {
        ok: false,
        code: 'window-exceeded',
        message: `${this.#unacked} bytes unacknowledged across ${this.#byAge.size} transfers, limit ${this.#limits.userBytes}`,
      }
    }
    return FORWARD
  }

  /** A transfer first seen at a chunk at `offset`. */
  #track(peer: string, taskId: number, offset: number): Transfer {
    let tasks = this.#byPeer.get(peer)
    if (!tasks) {
      tasks = new Map()
      this.#byPeer.set(peer, tasks)
    }
    const transfer: Transfer = {
      peer,
      taskId,
      unacked: 0,
      ackedTo: offset,
      sentTo: offset,
      lastChunkAt: 0,
      closing: false,
    }
    tasks.set(taskId, transfer)
    return transfer
  }

  #credit(from: string, taskId: number, received: number): void {
    const transfer = this.#find(from, taskId)
    if (!transfer || received <= transfer.ackedTo) return
    const credit = Math.min(received - transfer.ackedTo, transfer.unacked)
    transfer.ackedTo = received
    transfer.unacked -= credit
    this.#unacked -= credit
  }

  #rebase(from: string, taskId: number, offset: number): void {
    const transfer = this.#find(from, taskId)
    if (!transfer) return
    // What lies beyond the receiver's offset it has not read yet; never more than was counted.
    const unacked = Math.min(transfer.unacked, Math.max(0, transfer.sentTo - offset))
    this.#unacked -= transfer.unacked - unacked
    transfer.unacked = unacked
    transfer.ackedTo = offset
  }

  #receiverEnded(from: string, taskId: number): void {
    this.#forget(this.#find(from, taskId))
    const key = keyOf(from, taskId)
    this.#ended.delete(key)
    this.#ended.set(key, this.now())
    if (this.#ended.size > ENDED_KEPT) this.#ended.delete(this.#ended.keys().next().value ?? key)
  }

  #find(peer: string, taskId: number): Transfer | undefined {
    return this.#byPeer.get(peer)?.get(taskId)
  }

  #forget(transfer: Transfer | undefined): void {
    if (!transfer || !this.#byAge.delete(transfer)) return
    const tasks = this.#byPeer.get(transfer.peer)
    tasks?.delete(transfer.taskId)
    if (tasks?.size === 0) this.#byPeer.delete(transfer.peer)
    this.#unacked -= transfer.unacked
  }

  /** Transfers without a chunk for `holdMs`, and receiver ends as old, are over. */
  #expire(): void {
    const before = this.now() - this.#limits.holdMs
    for (const transfer of this.#byAge) {
      if (transfer.lastChunkAt > before) break
      this.#forget(transfer)
    }
    for (const [key, at] of this.#ended) {
      if (at > before) break
      this.#ended.delete(key)
    }
  }
}

function keyOf(peer: string, taskId: number): string {
  return `${peer}\n${taskId}`
}
