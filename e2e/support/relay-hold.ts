import { decodeFrame } from '@ferry/protocol'
import type { FerryServer } from '@ferry/signaling'

/**
 * Holds in the signaling server what users relay, from a chosen offset on, until the test releases it:
 * a relayed transfer then stands still at a known point, whatever the machine's load, instead of the
 * test racing it. Only for tests: a Socket.IO middleware in front of the server's own `relay:frame`
 * handler, added through the server's public `io`, with nothing held until a test asks.
 */
export class RelayHolds {
  private readonly holds = new Map<string, RelayHold>()

  constructor(io: FerryServer) {
    io.on('connection', (socket) => {
      socket.use(([event, , payload], next) => {
        const hold = this.holds.get(socket.data.userId)
        if (hold && event === 'relay:frame') hold.admit(payload, next)
        else next()
      })
    })
  }

  /**
   * From now on, the relayed chunk of `from` at `afterBytes` or beyond, and every chunk and end frame
   * they relay after it, wait in the server until `release()`. Other frames (start, ack, cancel, error,
   * cmd) go on, so either side can still cancel. The sender's flow control stops it a window past the
   * last ack. A held transfer fails with `idle-timeout` after IDLE_TIMEOUT_MS (30 s) unless its users
   * were given longer (`PATIENT_LINKS`).
   */
  hold(from: string, afterBytes: number): RelayHold {
    if (this.holds.has(from)) throw new Error(`${from}'s relayed frames are already held`)
    const hold = new RelayHold(afterBytes, () => this.holds.delete(from))
    this.holds.set(from, hold)
    return hold
  }

  /** Forgets every hold, and drops what they held: between tests, once their users are gone. */
  clear(): void {
    this.holds.clear()
  }
}

/** One user's relayed data frames, held from an offset on. */
export class RelayHold {
  /** The server's handling of each held frame, in the order they arrived. */
  private readonly held: (() => void)[] = []

  constructor(
    private readonly afterBytes: number,
    private readonly onRelease: () => void,
  ) {}

  /** Frames held so far: while there is one, no transfer it belongs to can finish. */
  heldFrames(): number {
    return this.held.length
  }

  /** Lets the held frames on to the server's relay, in order, and holds nothing more. */
  release(): void {
    this.onRelease()
    for (const next of this.held.splice(0)) next()
  }

  /** Holds a data frame from the offset on, or every one once something is held; passes the rest. */
  admit(payload: unknown, next: () => void): void {
    const decoded = payload instanceof Uint8Array ? decodeFrame(payload) : undefined
    const frame = decoded?.ok ? decoded.frame : undefined
    const startsHold = frame?.type === 'chunk' && frame.offset >= this.afterBytes
    const data = frame?.type === 'chunk' || frame?.type === 'end'
    if ((this.held.length > 0 && data) || startsHold) this.held.push(next)
    else next()
  }
}
