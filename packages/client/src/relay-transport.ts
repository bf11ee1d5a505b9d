import { CHUNK_HEADER_BYTES, DEFAULT_CHUNK_BYTES, HIGH_WATER_BYTES } from '@ferry/protocol'
import type { FrameChannel } from './send-queue.js'
import type { SignalingSocket } from './signaling-client.js'

/** Data bytes per chunk frame over the relay: the same frames as on a data channel. */
export const RELAY_CHUNK_BYTES = DEFAULT_CHUNK_BYTES - CHUNK_HEADER_BYTES

/**
 * The share of the server's relay budget a client allows itself: the server measures arrivals, which
 * network jitter can bunch up, so the client stays a little below the rate it was given.
 */
const RELAY_PACE_SHARE = 0.9

interface EnginePacket {
  data?: string | ArrayBuffer | ArrayBufferView
}

interface EngineInternals {
  writeBuffer?: EnginePacket[]
  transport?: { ws?: { bufferedAmount?: number } }
}

/** Paces what one client relays to the server's per-user byte rate, shared by all its relay links. */
export class RelayPacer {
  private debt = 0
  private at = Date.now()

  /** `bytesPerSecond()` is read on every use, so a rate announced by the server later applies at once. */
  constructor(private readonly bytesPerSecond: () => number) {}

  spend(bytes: number): void {
    this.settle()
    this.debt += bytes
  }

  /** Bytes sent beyond what the rate allows so far, beyond one high-water mark of burst. */
  get excess(): number {
    this.settle()
    return Math.max(0, this.debt - HIGH_WATER_BYTES)
  }

  private settle(): void {
    const now = Date.now()
    this.debt = Math.max(0, this.debt - ((now - this.at) / 1000) * this.bytesPerSecond() * RELAY_PACE_SHARE)
    this.at = now
  }
}

/**
 * Frames to one peer through the signaling server, as binary Socket.IO events routed by user. What
 * the socket has not yet written (engine.io's write buffer plus the WebSocket's), and what the pacer
 * says is ahead of the server's byte rate, stand in for a data channel's `bufferedAmount`: the send
 * queue applies the same high-water mark, and a client is never cut off for relaying too fast.
 */
export function relayChannel(socket: SignalingSocket, peer: string, pacer: RelayPacer): FrameChannel {
  const target = { to: peer }
  return {
    send(frame) {
      // Socket.IO would keep it for the next connection, to arrive there after frames sent since:
      // a frame the connection took down with it is lost instead, and the link resumes past it.
      if (!socket.connected) return
      pacer.spend(frame.length)
      socket.emit('relay:frame', target, frame)
    },
    get bufferedAmount() {
      const engine = socket.io.engine as unknown as EngineInternals | undefined
      let bytes = engine?.transport?.ws?.bufferedAmount ?? 0
      for (const packet of engine?.writeBuffer ?? []) {
        const data = packet.data
        bytes += typeof data === 'string' ? data.length : (data?.byteLength ?? 0)
      }
      const excess = pacer.excess
      // Any excess holds data back until the rate has caught up; the queue polls meanwhile.
      return excess > 0 ? bytes + HIGH_WATER_BYTES + excess : bytes
    },
  }
}
