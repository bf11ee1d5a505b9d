/** What a server has written to its clients so far, as engine.io packets (see `SentCounter`). */
export interface SentTotals {
  /** Engine.io `message` packets: one per Socket.IO event (or ack) per recipient socket. */
  messages: number
  /** Their bytes as engine.io puts them in WebSocket frames (type character included, frame headers not). */
  messageBytes: number
  /** Every other packet (pings, noops, closes): keep-alive traffic, not what a login costs. */
  controlPackets: number
  /** Engine.io connections accepted so far. */
  connections: number
}

/** An engine.io packet as its socket's `packetCreate` event hands it over. */
interface EnginePacket {
  type: string
  data?: unknown
}

/**
 * Counts every packet a Socket.IO server creates for its clients, per engine.io connection, through the
 * `packetCreate` event each engine socket emits before it queues a packet. A broadcast counts once per
 * recipient, as it goes out once per recipient.
 */
export class SentCounter {
  readonly #totals: SentTotals = { messages: 0, messageBytes: 0, controlPackets: 0, connections: 0 }

  /** `io` is a Socket.IO server: its `engine` emits `connection` with each engine.io socket. */
  constructor(io: { engine: NodeJS.EventEmitter }) {
    io.engine.on('connection', (socket: NodeJS.EventEmitter) => {
      this.#totals.connections++
      socket.on('packetCreate', (packet: EnginePacket) => this.#count(packet))
    })
  }

  totals(): SentTotals {
    return { ...this.#totals }
  }

  #count(packet: EnginePacket): void {
    if (packet.type !== 'message') {
      this.#totals.controlPackets++
      return
    }
    this.#totals.messages++
    this.#totals.messageBytes += packetBytes(packet.data)
  }
}

/** A message packet's bytes on a WebSocket: text gets engine.io's type character in front, binary goes as is. */
function packetBytes(data: unknown): number {
  if (typeof data === 'string') return 1 + Buffer.byteLength(data, 'utf8')
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength
  return 1
}
