import type { FerryErrorCode, SignalData } from '@ferry/protocol'
import { DirectTransport } from './direct-transport.js'
import type { RelayPool } from './relay-pool.js'
import { RELAY_CHUNK_BYTES } from './relay-transport.js'
import { type FrameChannel, SendQueue } from './send-queue.js'
import type { LinkTransport, TransportMode } from './types.js'

export type LinkState = 'connecting' | 'open' | 'closed'

export interface PeerLinkHandlers {
  /** WebRTC signaling data for the direct connection, to pass to the peer through the server. */
  signal(link: PeerLink, data: SignalData): void
  /** A transport opened: the first one, or a replacement after `switched`. */
  open(link: PeerLink): void
  frame(link: PeerLink, bytes: Uint8Array): void
  /** The transport in use was lost and another took its place: what was on the wire may be lost. */
  switched(link: PeerLink): void
  /** The link is gone for good; `code` says why. Called once. */
  close(link: PeerLink, code: FerryErrorCode, message: string): void
}

export interface PeerLinkOptions {
  peer: string
  /** Chosen by the direct connection's initiator; a non-initiator waiting for its first offer has none yet. */
  linkId: string | undefined
  initiator: boolean
  /** `auto`: direct, falling back to the relay; `direct`: never relay; `relay`: relay only. */
  mode: TransportMode
  /** Start on the relay at once (the peer is already relaying to us). */
  startOnRelay?: boolean
  wrtc?: unknown
  rtcConfig: RTCConfiguration
  /** How long the direct connection may take to open before the link falls back (or fails). */
  directTimeoutMs: number
  relayChannel(): FrameChannel
  /** Whether this client is logged in to a signaling server now, so the relay can carry frames. */
  relayReachable(): boolean
  /** The relay window this client's relayed transfers share. */
  relayPool?: RelayPool
  handlers: PeerLinkHandlers
}

/**
 * How long a relayed link waits for the relay to come back: this client logged in again (to the same
 * node or another) and the peer online there. Under IDLE_TIMEOUT_MS, so a transfer that waits in
 * vain fails with this wait's own code (`server-unreachable`, or `peer-gone` when the peer did not come
 * back) rather than `idle-timeout`; over the time Socket.IO's backoff needs for five attempts
 * (1 + 2 + 4 + 5 + 5 s), so a restarted node, or each of a few nodes in the URL list, is tried, by
 * both ends.
 */
export const RELAY_OUTAGE_WAIT_MS = 20_000

/** Codes with which a direct connection may fail while the relay could still carry the link. */
const RECOVERABLE: ReadonlySet<FerryErrorCode> = new Set(['connect-timeout', 'link-failed', 'peer-gone'])

/**
 * Everything between this client and one remote user: one send queue, and the transport under it,
 * direct (a WebRTC data channel, possibly through TURN) or the relay (frames through the signaling
 * server). Transfers only see the queue; when the direct transport fails, the relay takes over under
 * the same queue and `switched` lets the transfers agree where to resume.
 */
export class PeerLink {
  readonly peer: string
  readonly initiator: boolean
  /** Closes the link when frames owed to the peer overflow it (a peer that floods us or stops reading). */
  readonly queue = new SendQueue({
    onOverflow: (reason) => this.close('protocol-error', `the control queue is full: ${reason}`),
  })
  linkId: string | undefined
  state: LinkState = 'connecting'
  transport: LinkTransport | undefined
  /** Data bytes per chunk frame on the current transport. */
  chunkBytes = RELAY_CHUNK_BYTES
  /** Counts transports attached so far; a frame sent under an older one may have been lost. */
  generation = 0
  private direct: DirectTransport | undefined
  /** Set while the link waits for the relay (see `pauseRelay`): closes the link when it fires. */
  private relayWait: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly o: PeerLinkOptions) {
    this.peer = o.peer
    this.initiator = o.initiator
    this.linkId = o.linkId
    if (o.mode === 'relay' || o.startOnRelay) this.useRelay()
    else this.startDirect()
  }

  /** The relay pool that transfers on this link draw from while it relays; none on a direct path. */
  get relayPool(): RelayPool | undefined {
    return this.transport === 'relay' ? this.o.relayPool : undefined
  }

  /** The link waits for the relay to come back: frames wait in its queue. */
  get waitingForRelay(): boolean {
    return this.relayWait !== undefined
  }

  /**
   * The signaling connection dropped. A relayed link stops sending (what was on its way through the
   * server may be lost) and waits, at most RELAY_OUTAGE_WAIT_MS, for `resumeRelay`. A direct link
   * does not need the server: nothing changes.
   */
  pauseRelay(): void {
    if (this.state === 'closed' || this.transport !== 'relay') return
    this.waitForRelay()
  }

  /**
   * The relay is back (this client logged in again, the peer is online): frames go on through it, and
   * `switched` lets the transfers agree with the peer where to resume.
   */
  resumeRelay(): void {
    if (this.relayWait === undefined || this.state === 'closed') return
    clearTimeout(this.relayWait)
    this.relayWait = undefined
    this.attach(this.o.relayChannel(), 'relay', RELAY_CHUNK_BYTES)
  }

  /** Hands the peer's signaling data to the direct connection. */
  signal(data: SignalData): void {
    this.direct?.signal(data)
  }

  /** A frame came through the relay: the peer relays, so this side answers the same way. */
  onRelayFrame(bytes: Uint8Array): void {
    if (this.state === 'closed' || this.o.mode === 'direct') return
    if (this.relayWait !== undefined) this.resumeRelay()
    else if (this.transport !== 'relay') this.useRelay()
    this.o.handlers.frame(this, bytes)
  }

  close(code: FerryErrorCode, message: string): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.relayWait !== undefined) clearTimeout(this.relayWait)
    this.relayWait = undefined
    this.direct?.close()
    this.direct = undefined
    this.queue.close()
    this.o.handlers.close(this, code, message)
    this.o.relayPool?.onLinkClosed(this)
  }

  private startDirect(): void {
    this.direct = new DirectTransport({
      initiator: this.initiator,
      wrtc: this.o.wrtc,
      config: this.o.rtcConfig,
      connectTimeoutMs: this.o.directTimeoutMs,
      handlers: {
        signal: (data) => this.o.handlers.signal(this, data),
        open: ({ channel, onLow, chunkBytes, transport }) => this.attach(channel, transport, chunkBytes, onLow),
        frame: (bytes) => {
          if (this.state !== 'closed') this.o.handlers.frame(this, bytes)
        },
        close: (code, message) => this.onDirectClosed(code, message),
      },
    })
  }

  private onDirectClosed(code: FerryErrorCode, message: string): void {
    this.direct = undefined
    if (this.state === 'closed' || this.transport === 'relay') return
    if (RECOVERABLE.has(code) && this.o.mode === 'auto') {
      this.useRelay()
      return
    }
    if (this.transport === undefined && RECOVERABLE.has(code)) {
      this.close('no-route', `no direct path to ${this.peer} (${message}), and relay is disabled`)
      return
    }
    this.close(code, message)
  }

  private useRelay(): void {
    this.direct?.close()
    this.direct = undefined
    if (this.o.relayReachable()) this.attach(this.o.relayChannel(), 'relay', RELAY_CHUNK_BYTES)
    else this.waitForRelay()
  }

  private waitForRelay(): void {
    if (this.relayWait !== undefined) return
    this.queue.detach()
    this.relayWait = setTimeout(() => {
      this.relayWait = undefined
      if (this.o.relayReachable()) {
        this.close('peer-gone', `${this.peer} did not come back to the relay within ${RELAY_OUTAGE_WAIT_MS} ms`)
      } else {
        this.close('server-unreachable', `no signaling server within ${RELAY_OUTAGE_WAIT_MS} ms to relay through`)
      }
    }, RELAY_OUTAGE_WAIT_MS)
  }

  private attach(
    channel: FrameChannel,
    transport: LinkTransport,
    chunkBytes: number,
    onLow?: (listener: () => void) => void,
  ): void {
    if (this.state === 'closed') return
    const switching = this.transport !== undefined
    this.transport = transport
    this.chunkBytes = chunkBytes
    this.generation++
    this.state = 'open'
    this.queue.attach(channel, onLow)
    if (switching) this.o.handlers.switched(this)
    this.o.handlers.open(this)
  }
}
