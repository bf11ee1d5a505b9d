import type { Ack, FerryErrorCode, SignalData } from '@ferry/protocol'
import { PeerLink } from './peer-link.js'

export interface LinkManagerOptions {
  self: string
  wrtc?: unknown
  iceServers?: RTCIceServer[]
  connectTimeoutMs: number
  requestLink(to: string): Promise<Ack>
  sendSignal(to: string, link: string, data: SignalData): Promise<Ack>
  onOpen(link: PeerLink): void
  onFrame(link: PeerLink, bytes: Uint8Array): void
  onClose(link: PeerLink, code: FerryErrorCode, message: string): void
}

/**
 * One link per remote user, opened on first use and reused. Glare cannot happen: of two users, the
 * one with the smaller id always initiates; the other asks it to (`link:request`) and waits for the
 * offer. Each peer connection has an id chosen by its initiator, so signals for an older connection
 * never reach a newer one.
 */
export class LinkManager {
  private readonly links = new Map<string, PeerLink>()

  constructor(private readonly o: LinkManagerOptions) {}

  /** The current link to `peer`, connecting one if there is none. */
  get(peer: string): PeerLink {
    const current = this.links.get(peer)
    if (current && current.state !== 'closed') return current
    const initiator = this.o.self < peer
    const link = this.create(peer, initiator ? randomLinkId() : undefined, initiator)
    if (!initiator) {
      void this.o.requestLink(peer).then((ack) => {
        if (!ack.ok) link.close(ack.code, ack.message)
      })
    }
    return link
  }

  /** The peer asks us to initiate (it has no working link to us). */
  onRequest(from: string): void {
    if (this.o.self >= from) return
    const current = this.links.get(from)
    if (current?.state === 'connecting') return
    current?.close('peer-gone', 'the peer opened a new connection')
    this.get(from)
  }

  onSignal(from: string, linkId: string, data: SignalData): void {
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
    live?.close('peer-gone', 'the peer opened a new connection')
    this.create(from, linkId, false).signal(data)
  }

  /** Closes the link to `peer`, if any. */
  close(peer: string, code: FerryErrorCode, message: string): void {
    this.links.get(peer)?.close(code, message)
  }

  closeAll(code: FerryErrorCode, message: string): void {
    for (const link of [...this.links.values()]) link.close(code, message)
  }

  private create(peer: string, linkId: string | undefined, initiator: boolean): PeerLink {
    const link: PeerLink = new PeerLink({
      peer,
      linkId,
      initiator,
      wrtc: this.o.wrtc,
      ...(this.o.iceServers ? { iceServers: this.o.iceServers } : {}),
      connectTimeoutMs: this.o.connectTimeoutMs,
      handlers: {
        signal: (data) => {
          if (!link.linkId) return
          void this.o.sendSignal(peer, link.linkId, data).then((ack) => {
            if (!ack.ok) link.close(ack.code, ack.message)
          })
        },
        open: () => this.o.onOpen(link),
        frame: (bytes) => this.o.onFrame(link, bytes),
        close: (code, message) => {
          if (this.links.get(peer) === link) this.links.delete(peer)
          this.o.onClose(link, code, message)
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
