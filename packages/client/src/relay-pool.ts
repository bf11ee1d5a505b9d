import { type Frame, MAX_RELAY_TRANSFERS_PER_USER, RELAY_HOLD_MS } from '@ferry/protocol'

/**
 * How long a transfer this side cancelled or failed stays charged while the receiver's confirmation
 * is awaited: twice the server's RELAY_HOLD_MS, which it counts from the transfer's latest chunk as it
 * reached the server; this side counts from the cancel, later, but on its own clock, and twice the
 * hold leaves room for any delay between the two that does not end the session anyway.
 */
export const CLIENT_RELAY_HOLD_MS = 2 * RELAY_HOLD_MS

/**
 * The share of the pool the transfers to one peer may hold together. A peer that never acks, or never
 * confirms an end, ties up what it holds until the hold passes; half leaves the other half to everyone
 * else, and is still two transfer windows, more than one peer's share of the relay rate needs.
 */
export const RELAY_PEER_SHARE = 0.5

export interface RelayPoolLimits {
  /** Transfers charged at once, running or held: the server's MAX_RELAY_TRANSFERS_PER_USER. */
  maxTransfers: number
  /** How long a transfer this side ended stays charged without the receiver's confirmation. */
  holdMs: number
  /** The share of the pool one peer's transfers may hold together. */
  peerShare: number
}

/** What the pool needs of a link: whether it is gone (a closed link's charges are over). */
export interface PoolLink {
  readonly state: string
}

/**
 * The relay window one client shares across every transfer it sends through the relay: buffers,
 * files, and media it serves to peers. The server counts, per sending user, chunk bytes relayed and
 * not yet acknowledged by their receivers, and transfers not yet ended, and cuts off a user past
 * either limit (see `RelayWindows` on the server). This pool counts the same, never less than the
 * server does, so a client that draws from it is never cut off:
 *
 * - a chunk is charged when it goes out; the receiver's acks give back what they move past its
 *   previous ack (the server saw each ack before this client did);
 * - a transfer the receiver ended, confirmed or that succeeded gives everything back, as does its link
 *   closing;
 * - a transfer this side cancelled or failed stays charged (`hold`) until the receiver confirms, the
 *   link closes, or CLIENT_RELAY_HOLD_MS passes.
 *
 * The transfers to one peer hold at most RELAY_PEER_SHARE of it. Chunks that do not fit wait; the
 * pool wakes whoever waits when room comes back.
 */
export class RelayPool {
  #chargedBytes = 0
  #transfers = 0
  readonly #held = new Map<PoolLink, Map<number, RelayCharge>>()
  /** Chunk bytes charged per link (per peer: one link each at a time). */
  readonly #byLink = new Map<PoolLink, number>()
  readonly #waiting = new Set<() => void>()

  readonly #limits: RelayPoolLimits

  /** `limitBytes()` is read on every use, so a window announced by the server later applies at once. */
  constructor(
    private readonly limitBytes: () => number,
    limits: Partial<RelayPoolLimits> = {},
  ) {
    this.#limits = {
      maxTransfers: MAX_RELAY_TRANSFERS_PER_USER,
      holdMs: CLIENT_RELAY_HOLD_MS,
      peerShare: RELAY_PEER_SHARE,
      ...limits,
    }
  }

  /** Chunk bytes out and not yet given back. */
  get chargedBytes(): number {
    return this.#chargedBytes
  }

  /** Transfers charged now, running or held. */
  get transfers(): number {
    return this.#transfers
  }

  /** The account of one transfer on `link`; it charges nothing until its first chunk. */
  charge(link: PoolLink, taskId: number): RelayCharge {
    return new RelayCharge(this, link, taskId)
  }

  /**
   * A frame from the receiver of a transfer this side sent: an ack still gives back, and a cancel,
   * error or end-ack confirms the end of a held transfer.
   */
  onFrame(link: PoolLink, frame: Frame): void {
    const charge = this.#held.get(link)?.get(frame.taskId)
    if (!charge) return
    if (frame.type === 'ack') charge.credit(frame.received)
    else if (
      frame.type === 'end-ack' ||
      ((frame.type === 'cancel' || frame.type === 'error') && frame.origin === 'receiver')
    )
      charge.release()
  }

  /** The link closed: what its transfers held is over. */
  onLinkClosed(link: PoolLink): void {
    for (const charge of [...(this.#held.get(link)?.values() ?? [])]) charge.release()
  }

  /** @internal Room for a transfer's first chunk (a new transfer) or another chunk of a running one. */
  take(link: PoolLink, bytes: number, opening: boolean, wake: () => void): boolean {
    const limit = this.limitBytes()
    const linkBytes = this.#byLink.get(link) ?? 0
    const fits =
      this.#chargedBytes + bytes <= limit &&
      // A peer holding nothing may always have one chunk out, however small the pool.
      (linkBytes === 0 || linkBytes + bytes <= limit * this.#limits.peerShare) &&
      (!opening || this.#transfers < this.#limits.maxTransfers)
    if (!fits) {
      this.#waiting.add(wake)
      return false
    }
    if (opening) this.#transfers++
    this.#chargedBytes += bytes
    this.#byLink.set(link, linkBytes + bytes)
    return true
  }

  /** @internal Bytes (and, when `closing`, the transfer) given back. */
  giveBack(link: PoolLink, bytes: number, closing: boolean): void {
    this.#chargedBytes -= bytes
    const linkBytes = (this.#byLink.get(link) ?? 0) - bytes
    if (linkBytes > 0) this.#byLink.set(link, linkBytes)
    else this.#byLink.delete(link)
    if (closing) this.#transfers--
    if (this.#waiting.size === 0) return
    const waiting = [...this.#waiting]
    this.#waiting.clear()
    for (const wake of waiting) wake()
  }

  /** @internal */
  setHeld(charge: RelayCharge, held: boolean): void {
    let byTask = this.#held.get(charge.link)
    if (held) {
      if (!byTask) {
        byTask = new Map()
        this.#held.set(charge.link, byTask)
      }
      byTask.set(charge.taskId, charge)
      return
    }
    if (byTask?.get(charge.taskId) !== charge) return
    byTask.delete(charge.taskId)
    if (byTask.size === 0) this.#held.delete(charge.link)
  }

  /** @internal */
  get holdTimeMs(): number {
    return this.#limits.holdMs
  }
}

/** One transfer's account with the pool, counted as the server counts it (see `RelayWindows`). */
export class RelayCharge {
  #state: 'idle' | 'open' | 'held' | 'over' = 'idle'
  /** Chunk bytes out and not given back. */
  #unacked = 0
  /** The receiver's furthest ack, or where it said it was: acks give back only what lies beyond. */
  #ackedTo = 0
  /** Where the furthest chunk out ends. */
  #sentTo = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly pool: RelayPool,
    readonly link: PoolLink,
    readonly taskId: number,
  ) {}

  /** Chunk bytes this transfer has out and not given back. */
  get unackedBytes(): number {
    return this.#unacked
  }

  /**
   * Charges a chunk of `bytes` at `offset`, or returns false when the pool has no room for it; `wake`
   * is then called once there may be.
   */
  take(offset: number, bytes: number, wake: () => void): boolean {
    // An ended transfer sends no more chunks: the server would take one as a protocol violation.
    if (this.#state === 'held' || this.#state === 'over') return false
    const opening = this.#state === 'idle'
    if (!this.pool.take(this.link, bytes, opening, wake)) return false
    if (opening) {
      this.#state = 'open'
      this.#ackedTo = offset
      this.#sentTo = offset
    }
    this.#unacked += bytes
    this.#sentTo = Math.max(this.#sentTo, offset + bytes)
    return true
  }

  /** The receiver acked `received` bytes. */
  credit(received: number): void {
    if (this.#state === 'idle' || this.#state === 'over' || received <= this.#ackedTo) return
    const credit = Math.min(received - this.#ackedTo, this.#unacked)
    this.#ackedTo = received
    this.#unacked -= credit
    this.pool.giveBack(this.link, credit, false)
  }

  /** The receiver said it has every byte before `offset`, and the transfer goes on from there. */
  rebase(offset: number): void {
    if (this.#state !== 'open') return
    const unacked = Math.min(this.#unacked, Math.max(0, this.#sentTo - offset))
    const credit = this.#unacked - unacked
    this.#unacked = unacked
    this.#ackedTo = offset
    this.pool.giveBack(this.link, credit, false)
  }

  /** The transfer is over for the server too (it succeeded, the receiver ended it, its link closed). */
  release(): void {
    const state = this.#state
    if (state === 'over') return
    this.#state = 'over'
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.pool.setHeld(this, false)
    if (state === 'idle') return
    const bytes = this.#unacked
    this.#unacked = 0
    this.pool.giveBack(this.link, bytes, true)
  }

  /** This side cancelled or failed the transfer: still charged until the receiver confirms. */
  hold(): void {
    if (this.#state === 'idle' || this.link.state === 'closed') {
      this.release()
      return
    }
    if (this.#state !== 'open') return
    this.#state = 'held'
    this.pool.setHeld(this, true)
    this.#timer = setTimeout(() => this.release(), this.pool.holdTimeMs)
  }
}
