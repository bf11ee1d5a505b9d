import type { Ack, FerryErrorCode, SignalData } from '@ferry/protocol'
import { PeerLink, type PeerLinkHandlers } from './peer-link.js'
import type { RelayPool } from './relay-pool.js'
import type { FrameChannel } from './send-queue.js'
import type { TransportMode } from './types.js'

export interface LinkManagerOptions {
  self: string
  mode: TransportMode
  wrtc?: unknown
  rtcConfig(): RTCConfiguration
  directTimeoutMs: number
  requestLink(to: string): Promise<Ack>
  sendSignal(to: string, link: string, data: SignalData): Promise<Ack>
  relayChannel(peer: string): FrameChannel
  /** The relay window every relayed transfer of this client draws from. */
  relayPool?: RelayPool
  handlers: Omit<PeerLinkHandlers, 'signal'>
}

/**
 * One link per remote user, opened on first use and reused. Glare cannot happen on the direct path:
 * of two users, the one with the smaller id always initiates; the other asks it to (`link:request`)
 * and waits for the offer. Each peer connection has an id chosen by its initiator, so signals for an
 * older connection never reach a newer one. Frames relayed by the server go to the same links.
 */
export class LinkManager {
  private readonly links = new Map<string, PeerLink>()
  /** Logged in to a signaling server now: the relay can carry frames. */
  private signalingUp = true

  constructor(private readonly o: LinkManagerOptions) {}

  /** The current link to `peer`, connecting one if there is none. */
  get(peer: string): PeerLink {
    const current = this.links.get(peer)
    if (current && current.state !== 'closed') return current
    const initiator = this.o.self < peer
    const link = this.create(peer, initiator ? randomLinkId() : undefined, initiator, false)
    if (!initiator && this.o.mode !== 'relay') {
      void this.o.requestLink(peer).then((ack) => {
        if (!ack.ok) link.close(ack.code, ack.message)
      })
    }
    return link
  }

  /** The peer asks us to initiate a direct connection (it has no working link to us). */
  onRequest(from: string): void {
    if (this.o.self >= from || this.o.mode === 'relay') return
    const current = this.links.get(from)
    if (current?.state === 'connecting' || current?.transport === 'relay') return
    current?.close('peer-gone', 'the peer opened a new connection')
    this.get(from)
  }

  onSignal(from: string, linkId: string, data: SignalData): void {
    if (this.o.mode === 'relay') return
    const current = this.links.get(from)
    const live = current && current.state !== 'closed' ? current : undefined
    if (live && live.linkId === linkId) {
      live.signal(data)
      return
    }
    // Only the non-initiator accepts a new connection, and only from an offer.
    if (this.o.self < from || data.type !== 'offer') return
    if (live && live.linkId === undefined) {
      live.linkId = linkId
      live.signal(data)
      return
    }
    if (live?.transport === 'relay') return
    live?.close('peer-gone', 'the peer opened a new connection')
    this.create(from, linkId, false, false).signal(data)
  }

  /** A frame relayed by the server from `from`. */
  onRelayFrame(from: string, bytes: Uint8Array): void {
    if (this.o.mode === 'direct') return
    const current = this.links.get(from)
    const link = current && current.state !== 'closed' ? current : this.create(from, undefined, false, true)
    link.onRelayFrame(bytes)
  }

  /**
   * The signaling connection dropped: relayed links wait for it to come back (see `PeerLink.pauseRelay`);
   * direct links carry on, their data channels need no server.
   */
  onSignalingLost(): void {
    this.signalingUp = false
    for (const link of this.links.values()) link.pauseRelay()
  }

  /** Logged in again: the relayed links whose peer is online (`online`) go on. */
  onSignalingReady(online: (peer: string) => boolean): void {
    this.signalingUp = true
    for (const link of [...this.links.values()]) {
      if (link.waitingForRelay && online(link.peer)) link.resumeRelay()
    }
  }

  /** The server says `peer` came online: a relayed link waiting for it goes on. */
  onPeerOnline(peer: string): void {
    if (this.signalingUp) this.links.get(peer)?.resumeRelay()
  }

  /** Closes the link to `peer`, if any. */
  close(peer: string, code: FerryErrorCode, message: string): void {
    this.links.get(peer)?.close(code, message)
  }

  closeAll(code: FerryErrorCode, message: string): void {
    for (const link of [...this.links.values()]) link.close(code, message)
  }

  private create(peer: string, linkId: string | undefined, initiator: boolean, startOnRelay: boolean): PeerLink {
    const { handlers } = this.o
    const link: PeerLink = new PeerLink({
      peer,
      linkId,
      initiator,
      mode: this.o.mode,
      startOnRelay,
      wrtc: this.o.wrtc,
      rtcConfig: this.o.rtcConfig(),
      directTimeoutMs: this.o.directTimeoutMs,
      relayChannel: () => this.o.relayChannel(peer),
      relayReachable: () => this.signalingUp,
      ...(this.o.relayPool ? { relayPool: this.o.relayPool } : {}),
      handlers: {
        ...handlers,
        signal: (l, data) => {
          if (!l.linkId) return
          void this.o.sendSignal(peer, l.linkId, data).then((ack) => {
            // A late candidate that found the server gone changes nothing for a channel already open.
            if (!ack.ok && l.state !== 'open') l.close(ack.code, ack.message)
          })
        },
        close: (l, code, message) => {
          if (this.links.get(peer) === l) this.links.delete(peer)
          handlers.close(l, code, message)
        },
      },
    })
    this.links.set(peer, link)
    return link
  }
}

function randomLinkId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
