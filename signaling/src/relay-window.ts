import {
  type Frame,
  MAX_RELAY_TRANSFERS_PER_USER,
  RELAY_CANCEL_HOLD_MS,
  RELAY_USER_WINDOW_BYTES,
  RELAY_WINDOW_LIMIT_BYTES,
} from '@ferry/protocol'

export type WindowVerdict =
  | { ok: true }
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
  /** When the sender cancelled or failed it (ms); undefined while it runs. */
  closingSince?: number
}

export interface RelayWindowLimits {
  /** Unacknowledged bytes one transfer may have. */
  transferBytes: number
  /** Unacknowledged bytes all of a user's transfers may have together. */
  userBytes: number
  /** Transfers tracked at once, running or closing. */
  transfers: number
  /** How long a transfer its sender ended is held for the receiver's confirmation. */
  holdMs: number
}

const DEFAULTS: RelayWindowLimits = {
  transferBytes: RELAY_WINDOW_LIMIT_BYTES,
  userBytes: RELAY_USER_WINDOW_BYTES,
  transfers: MAX_RELAY_TRANSFERS_PER_USER,
  holdMs: RELAY_CANCEL_HOLD_MS,
}

const OK: WindowVerdict = { ok: true }

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
 *   receiver confirms (its cancel, error or end-ack relayed back), goes offline, or `holdMs` passes. A
 *   chunk for a closing transfer is a protocol violation.
 * - The receiver's end-ack, cancel or error ends the transfer, as does the receiver going offline.
 */
export class RelayWindows {
  readonly #limits: RelayWindowLimits
  readonly #byPeer = new Map<string, Map<number, Transfer>>()
  /** Closing transfers, oldest first: the hold is the same for all, so this is also expiry order. */
  readonly #closing = new Set<Transfer>()
  #count = 0
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
    return this.#count
  }

  /** Chunk bytes this user relayed that its receivers have not credited yet, across its transfers. */
  get unackedBytes(): number {
    this.#expire()
    return this.#unacked
  }

  /** A frame this user relays to `to`. Not ok: the user broke a rule, and is cut off with the code. */
  sent(to: string, frame: Frame): WindowVerdict {
    this.#expire()
    if (frame.type === 'chunk') return this.#chunk(to, frame.taskId, frame.offset, frame.data.length)
    if ((frame.type === 'cancel' || frame.type === 'error') && frame.origin === 'sender') {
      const transfer = this.#find(to, frame.taskId)
      if (transfer && transfer.closingSince === undefined) {
        transfer.closingSince = this.now()
        this.#closing.add(transfer)
      }
    }
    return OK
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
        this.#forget(this.#find(from, frame.taskId))
        break
      case 'cancel':
      case 'error':
        if (frame.origin === 'receiver') this.#forget(this.#find(from, frame.taskId))
        break
    }
  }

  /** `peer` went offline: its transfers from this user are over. */
  forgetPeer(peer: string): void {
    for (const transfer of [...(this.#byPeer.get(peer)?.values() ?? [])]) this.#forget(transfer)
  }

  #chunk(to: string, taskId: number, offset: number, bytes: number): WindowVerdict {
    let transfer = this.#find(to, taskId)
    if (transfer?.closingSince !== undefined) {
      return {
        ok: false,
        code: 'protocol-error',
        message: `a chunk of task ${taskId} to ${to} after its sender ended it`,
      }
    }
    if (!transfer) {
      if (this.#count >= this.#limits.transfers) {
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
        message: `${this.#unacked} bytes unacknowledged across ${this.#count} transfers, limit ${this.#limits.userBytes}`,
      }
    }
    return OK
  }

  /** A transfer first seen at a chunk at `offset`: one that began on a direct path counts from there. */
  #track(peer: string, taskId: number, offset: number): Transfer {
    let tasks = this.#byPeer.get(peer)
    if (!tasks) {
      tasks = new Map()
      this.#byPeer.set(peer, tasks)
    }
    const transfer: Transfer = { peer, taskId, unacked: 0, ackedTo: offset, sentTo: offset }
    tasks.set(taskId, transfer)
    this.#count++
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

  #find(peer: string, taskId: number): Transfer | undefined {
    return this.#byPeer.get(peer)?.get(taskId)
  }

  #forget(transfer: Transfer | undefined): void {
    if (!transfer) return
    const tasks = this.#byPeer.get(transfer.peer)
    if (tasks?.get(transfer.taskId) !== transfer) return
    tasks.delete(transfer.taskId)
    if (tasks.size === 0) this.#byPeer.delete(transfer.peer)
    this.#closing.delete(transfer)
    this.#count--
    this.#unacked -= transfer.unacked
  }

  /** Closing transfers held past `holdMs` end: no honest receiver still owes their confirmation. */
  #expire(): void {
    if (this.#closing.size === 0) return
    const before = this.now() - this.#limits.holdMs
    for (const transfer of this.#closing) {
      if ((transfer.closingSince ?? 0) > before) break
      this.#forget(transfer)
    }
  }
}
