import {
  CHUNK_HEADER_BYTES,
  DEFAULT_CHUNK_BYTES,
  type FerryErrorCode,
  LOW_WATER_BYTES,
  MIN_CHUNK_BYTES,
  type SignalData,
} from '@ferry/protocol'
import SimplePeer from '#simple-peer'
import { SendQueue } from './send-queue.js'

export type LinkState = 'connecting' | 'open' | 'closed'

export interface PeerLinkHandlers {
  /** WebRTC signaling data to pass to the peer through the server. */
  signal(data: SignalData): void
  open(): void
  frame(bytes: Uint8Array): void
  /** The link is gone; `code` says why. Called once. */
  close(code: FerryErrorCode, message: string): void
}

export interface PeerLinkOptions {
  peer: string
  linkId: string | undefined
  initiator: boolean
  wrtc?: unknown
  iceServers?: RTCIceServer[]
  connectTimeoutMs: number
  handlers: PeerLinkHandlers
}

/** simple-peer keeps its RTCDataChannel and RTCPeerConnection private; Ferry drives the channel's backpressure itself. */
interface SimplePeerInternals {
  _channel?: RTCDataChannel
  _pc?: RTCPeerConnection
}

/**
 * One WebRTC peer connection with one ordered, reliable data channel, opened through simple-peer.
 * Frames go out through the link's SendQueue (which owns backpressure) and come in as raw bytes.
 */
export class PeerLink {
  readonly peer: string
  /** Chosen by the initiator; a non-initiator waiting for its first offer has none yet. */
  linkId: string | undefined
  readonly initiator: boolean
  readonly queue = new SendQueue()
  state: LinkState = 'connecting'
  /** Data bytes per chunk frame, fitted to the channel's max message size once open. */
  chunkBytes = DEFAULT_CHUNK_BYTES - CHUNK_HEADER_BYTES
  private readonly sp: SimplePeer.Instance
  private readonly handlers: PeerLinkHandlers
  private connectTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: PeerLinkOptions) {
    this.peer = options.peer
    this.linkId = options.linkId
    this.initiator = options.initiator
    this.handlers = options.handlers
    const spOptions: SimplePeer.Options = {
      initiator: options.initiator,
      trickle: true,
      channelName: 'ferry',
      channelConfig: { ordered: true },
      config: { iceServers: options.iceServers ?? [] },
    }
    if (options.wrtc) spOptions.wrtc = options.wrtc as SimplePeer.Options['wrtc']
    this.sp = new SimplePeer(spOptions)
    this.sp.on('signal', (data) => {
      if (this.state !== 'closed') this.handlers.signal(data as unknown as SignalData)
    })
    this.sp.on('connect', () => this.onConnect())
    // The answering side can receive before simple-peer calls it connected: accept frames until closed.
    this.sp.on('data', (data: Uint8Array) => {
      if (this.state !== 'closed') this.handlers.frame(data)
    })
    this.sp.on('close', () => this.close(this.state === 'open' ? 'peer-gone' : 'link-failed', 'peer connection closed'))
    this.sp.on('error', (err: Error & { code?: string }) =>
      this.close(this.state === 'open' ? 'peer-gone' : 'link-failed', err.code ?? err.message),
    )
    this.connectTimer = setTimeout(
      () => this.close('connect-timeout', `no data channel after ${options.connectTimeoutMs} ms`),
      options.connectTimeoutMs,
    )
  }

  /** Hands signaling data from the peer to the connection. */
  signal(data: SignalData): void {
    if (this.state === 'closed') return
    try {
      this.sp.signal(data as unknown as SimplePeer.SignalData)
    } catch (err) {
      this.close('link-failed', `bad signaling data: ${(err as Error).message}`)
    }
  }

  /** Closes the connection; the close handler runs once, with this code. */
  close(code: FerryErrorCode, message: string): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.connectTimer) clearTimeout(this.connectTimer)
    this.queue.close()
    this.sp.destroy()
    this.handlers.close(code, message)
  }

  private onConnect(): void {
    if (this.state !== 'connecting') return
    if (this.connectTimer) clearTimeout(this.connectTimer)
    const { _channel: channel, _pc: pc } = this.sp as unknown as SimplePeerInternals
    if (!channel) {
      this.close('link-failed', 'connected without a data channel')
      return
    }
    const maxMessage = pc?.sctp?.maxMessageSize
    const frameBytes = maxMessage && maxMessage > 0 ? Math.min(maxMessage, DEFAULT_CHUNK_BYTES) : DEFAULT_CHUNK_BYTES
    this.chunkBytes = Math.max(MIN_CHUNK_BYTES, frameBytes) - CHUNK_HEADER_BYTES
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES
    this.state = 'open'
    this.queue.attach(
      {
        send: (frame) => {
          try {
            channel.send(frame as Uint8Array<ArrayBuffer>)
          } catch (err) {
            this.close('link-failed', `data channel send failed: ${(err as Error).message}`)
          }
        },
        get bufferedAmount() {
          return channel.bufferedAmount
        },
      },
      (listener) => channel.addEventListener?.('bufferedamountlow', listener),
    )
    this.handlers.open()
  }
}
