import { CHUNK_HEADER_BYTES, DEFAULT_CHUNK_BYTES } from '@ferry/protocol'
import type { FrameChannel } from './send-queue.js'
import type { SignalingSocket } from './signaling-client.js'

/** Data bytes per chunk frame over the relay: the same frames as on a data channel. */
export const RELAY_CHUNK_BYTES = DEFAULT_CHUNK_BYTES - CHUNK_HEADER_BYTES

interface EnginePacket {
  data?: string | ArrayBuffer | ArrayBufferView
}

interface EngineInternals {
  writeBuffer?: EnginePacket[]
  transport?: { ws?: { bufferedAmount?: number } }
}

/**
 * Frames to one peer through the signaling server, as binary Socket.IO events routed by user. What
 * the socket has not yet written (engine.io's write buffer plus the WebSocket's) stands in for a data
 * channel's `bufferedAmount`, so the send queue applies the same high-water mark here.
 */
export function relayChannel(socket: SignalingSocket, peer: string): FrameChannel {
  const target = { to: peer }
  return {
    send(frame) {
      socket.emit('relay:frame', target, frame)
    },
    get bufferedAmount() {
      const engine = socket.io.engine as unknown as EngineInternals | undefined
      let bytes = engine?.transport?.ws?.bufferedAmount ?? 0
      for (const packet of engine?.writeBuffer ?? []) {
        const data = packet.data
        bytes += typeof data === 'string' ? data.length : (data?.byteLength ?? 0)
      }
      return bytes
    },
  }
}
