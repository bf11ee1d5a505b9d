import {
  CHUNK_HEADER_BYTES,
  DEFAULT_CHUNK_BYTES,
  type FerryErrorCode,
  LOW_WATER_BYTES,
  MIN_CHUNK_BYTES,
  type SignalData,
} from '@ferry/protocol'
import SimplePeer from '#simple-peer'
import type { FrameChannel } from './send-queue.js'
import type { LinkTransport } from './types.js'

export interface DirectTransportHandlers {
  /** WebRTC signaling data to pass to the peer through the server. */
  signal(data: SignalData): void
  open(opened: OpenedChannel): void
  frame(bytes: Uint8Array): void
  /** The connection is gone; `code` says why. Called once, and not after `close()`. */
  close(code: FerryErrorCode, message: string): void
}

/** What an open data channel offers the link. */
export interface OpenedChannel {
  channel: FrameChannel
  onLow(listener: () => void): void
  /** Data bytes per chunk frame, fitted to the channel's max message size. */
  chunkBytes: number
  /** `turn` when the selected candidate pair goes through a TURN server. */
  transport: Exclude<LinkTransport, 'relay'>
}

export interface DirectTransportOptions {
  initiator: boolean
  wrtc?: unknown
  config: RTCConfiguration
  connectTimeoutMs: number
  handlers: DirectTransportHandlers
}

/** simple-peer keeps its RTCDataChannel and RTCPeerConnection private; Ferry drives the channel's backpressure itself. */
interface SimplePeerInternals {
  _channel?: RTCDataChannel
  _pc?: RTCPeerConnection
  _setupData(event: { channel: RTCDataChannel }): void
}

/**
 * One WebRTC peer connection with one ordered, reliable data channel, opened through simple-peer.
 * It only carries bytes: the link above it owns the send queue, and can replace it with the relay.
 */
export class DirectTransport {
  state: 'connecting' | 'open' | 'closed' = 'connecting'
  private readonly sp: SimplePeer.Instance
  private readonly handlers: DirectTransportHandlers
  private connectTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: DirectTransportOptions) {
    this.handlers = options.handlers
    const spOptions: SimplePeer.Options = {
      initiator: options.initiator,
      trickle: true,
      channelName: 'ferry',
      channelConfig: { ordered: true },
      config: options.config,
    }
    if (options.wrtc) spOptions.wrtc = options.wrtc as SimplePeer.Options['wrtc']
    this.sp = new SimplePeer(spOptions)
    this.sp.on('signal', (data) => {
      if (this.state !== 'closed') this.handlers.signal(data as unknown as SignalData)
    })
    this.sp.on('connect', () => void this.onConnect())
    this.takeMessages()
    this.sp.on('close', () => this.fail(this.state === 'open' ? 'peer-gone' : 'link-failed', 'peer connection closed'))
    this.sp.on('error', (err: Error & { code?: string }) =>
      this.fail(this.state === 'open' ? 'peer-gone' : 'link-failed', err.code ?? err.message),
    )
    this.connectTimer = setTimeout(
      () => this.fail('connect-timeout', `no data channel after ${options.connectTimeoutMs} ms`),
      options.connectTimeoutMs,
    )
  }

  /** Hands signaling data from the peer to the connection. */
  signal(data: SignalData): void {
    if (this.state === 'closed') return
    try {
      this.sp.signal(data as unknown as SimplePeer.SignalData)
    } catch (err) {
      this.fail('link-failed', `bad signaling data: ${(err as Error).message}`)
    }
  }

  /** Closes the connection without calling the close handler. */
  close(): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.connectTimer) clearTimeout(this.connectTimer)
    this.sp.destroy()
  }

  /**
   * Frames are taken straight from the data channel's `message` event rather than through simple-peer's
   * stream, which would wrap each message in a Buffer and pass it through a Readable: a cmd's round trip
   * is mostly that overhead. The initiator's channel exists now; the answerer's arrives later.
   */
  private takeMessages(): void {
    const internals = this.sp as unknown as SimplePeerInternals
    const take = (channel: RTCDataChannel) => {
      // The answering side can receive before simple-peer calls it connected: accept frames until closed.
      channel.onmessage = (event: MessageEvent<ArrayBuffer>) => {
        if (this.state !== 'closed') this.handlers.frame(new Uint8Array(event.data))
      }
    }
    if (internals._channel) {
      take(internals._channel)
      return
    }
    const setupData = internals._setupData.bind(this.sp)
    internals._setupData = (event) => {
      setupData(event)
      if (internals._channel) take(internals._channel)
    }
  }

  private fail(code: FerryErrorCode, message: string): void {
    if (this.state === 'closed') return
    this.close()
    this.handlers.close(code, message)
  }

  private async onConnect(): Promise<void> {
    if (this.state !== 'connecting') return
    if (this.connectTimer) clearTimeout(this.connectTimer)
    const { _channel: channel, _pc: pc } = this.sp as unknown as SimplePeerInternals
    if (!channel) {
      this.fail('link-failed', 'connected without a data channel')
      return
    }
    this.state = 'open'
    const transport = pc ? await selectedPairTransport(pc) : 'direct'
    if (this.state !== 'open') return
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES
    const maxMessage = pc?.sctp?.maxMessageSize
    const frameBytes = maxMessage && maxMessage > 0 ? Math.min(maxMessage, DEFAULT_CHUNK_BYTES) : DEFAULT_CHUNK_BYTES
    this.handlers.open({
      channel: {
        send: (frame) => {
          try {
            channel.send(frame as Uint8Array<ArrayBuffer>)
          } catch (err) {
            this.fail('link-failed', `data channel send failed: ${(err as Error).message}`)
          }
        },
        get bufferedAmount() {
          return channel.bufferedAmount
        },
      },
      onLow: (listener) => channel.addEventListener?.('bufferedamountlow', listener),
      chunkBytes: Math.max(MIN_CHUNK_BYTES, frameBytes) - CHUNK_HEADER_BYTES,
      transport,
    })
  }
}

/** `turn` when the connection's selected candidate pair runs through a TURN server, else `direct`. */
async function selectedPairTransport(pc: RTCPeerConnection): Promise<'direct' | 'turn'> {
  try {
    const stats = await pc.getStats()
    let pairId: string | undefined
    stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId
    })
    if (!pairId) {
      stats.forEach((s: { type: string; id: string; nominated?: boolean; state?: string }) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairId = s.id
      })
    }
    const pair = pairId ? stats.get(pairId) : undefined
    const local = pair ? stats.get(pair.localCandidateId) : undefined
    const remote = pair ? stats.get(pair.remoteCandidateId) : undefined
    return local?.candidateType === 'relay' || remote?.candidateType === 'relay' ? 'turn' : 'direct'
  } catch {
    return 'direct'
  }
}
