import {
  CHUNK_HEADER_BYTES,
  encodeFrame,
  FerryError,
  type FerryErrorCode,
  type TransferKind,
  WINDOW_BYTES,
  writeChunkHeader,
} from '@ferry/protocol'
import { IdleTimer } from './idle-timer.js'
import type { PeerLink } from './peer-link.js'
import type { FrameSource } from './send-queue.js'
import type { FileSource, Hasher } from './types.js'

/** Chunks read ahead of the channel, so a slow read never leaves the channel idle. */
const READ_AHEAD_CHUNKS = 4

export interface OutgoingTransferOptions {
  wireId: number
  kind: TransferKind
  source: FileSource
  link: PeerLink
  hasher: Promise<Hasher>
  idleTimeoutMs: number
  onProgress(sent: number, total: number): void
  /** Called once, when the receiver confirmed (no error) or the transfer failed. */
  onEnd(error?: FerryError): void
}

/**
 * The sending side of a buffer or file transfer. Reads the source chunk by chunk, straight into frame
 * buffers, hashing as it reads; hands frames to the link's queue when asked; keeps at most
 * WINDOW_BYTES beyond the receiver's last ack; reports progress from acks; ends on the receiver's end-ack.
 */
export class OutgoingTransfer implements FrameSource {
  readonly size: number
  private readonly ready: Uint8Array[] = []
  private readBytes = 0
  private acked = 0
  private reading = false
  private endSent = false
  private finished = false
  private readonly idle: IdleTimer
  private hasher: Hasher | undefined

  constructor(private readonly o: OutgoingTransferOptions) {
    this.size = o.source.size
    this.idle = new IdleTimer(o.idleTimeoutMs, () => this.fail('idle-timeout', 'no ack from the receiver'))
    const { source } = o
    o.link.queue.sendControl(
      encodeFrame({
        type: 'start',
        taskId: o.wireId,
        kind: o.kind,
        size: this.size,
        name: source.name,
        mime: source.mime,
      }),
    )
    o.link.queue.addSource(this)
    o.hasher.then(
      (hasher) => {
        this.hasher = hasher
        this.fill()
        o.link.queue.wake()
      },
      (err: unknown) => this.fail('unknown', `no hasher: ${err instanceof Error ? err.message : String(err)}`),
    )
  }

  get done(): boolean {
    return this.finished
  }

  nextFrame(): Uint8Array | undefined {
    if (this.finished) return undefined
    const frame = this.ready.shift()
    if (frame) {
      this.fill()
      return frame
    }
    if (this.readBytes === this.size && this.hasher && !this.endSent) {
      this.endSent = true
      return encodeFrame({ type: 'end', taskId: this.o.wireId, sha256: this.hasher!.digest() })
    }
    return undefined
  }

  onAck(received: number): void {
    if (this.finished) return
    if (received < this.acked || received > this.readBytes) {
      this.fail('protocol-error', `ack of ${received} bytes, ${this.readBytes} sent`)
      return
    }
    this.idle.touch()
    if (received === this.acked) return
    this.acked = received
    this.o.onProgress(received, this.size)
    this.fill()
  }

  onEndAck(): void {
    if (this.finished) return
    if (!this.endSent) {
      this.fail('protocol-error', 'end-ack before end')
      return
    }
    if (this.acked < this.size) this.o.onProgress(this.size, this.size)
    this.end()
  }

  /** The receiver cancelled, or reported an error. */
  onPeerEnd(code: FerryErrorCode, message: string): void {
    this.end(new FerryError(code, message))
  }

  /** Cancels from this side: tells the receiver, which drops what it has. */
  cancel(): void {
    if (this.finished) return
    this.o.link.queue.sendControl(encodeFrame({ type: 'cancel', taskId: this.o.wireId, origin: 'sender' }))
    this.end(new FerryError('cancelled', 'cancelled by the sender'))
  }

  /** The link went away: nothing can be sent any more. */
  onLinkClosed(code: FerryErrorCode, message: string): void {
    this.end(new FerryError(code, message))
  }

  private fail(code: FerryErrorCode, message: string): void {
    if (this.finished) return
    this.o.link.queue.sendControl(
      encodeFrame({ type: 'error', taskId: this.o.wireId, origin: 'sender', code, message }),
    )
    this.end(new FerryError(code, message))
  }

  private end(error?: FerryError): void {
    if (this.finished) return
    this.finished = true
    this.idle.stop()
    this.ready.length = 0
    this.o.link.queue.removeSource(this)
    void this.o.source.close().catch(() => {})
    this.o.onEnd(error)
  }

  private fill(): void {
    if (this.reading || this.finished || !this.hasher) return
    if (this.readBytes >= this.size || this.ready.length >= READ_AHEAD_CHUNKS) return
    if (this.readBytes - this.acked >= WINDOW_BYTES) return
    const offset = this.readBytes
    const length = Math.min(this.o.link.chunkBytes, this.size - offset)
    const frame = new Uint8Array(CHUNK_HEADER_BYTES + length)
    writeChunkHeader(frame, this.o.wireId, offset)
    const data = frame.subarray(CHUNK_HEADER_BYTES)
    this.reading = true
    const hasher = this.hasher
    this.o.source.readInto(data, offset).then(
      (read) => {
        this.reading = false
        if (this.finished) return
        if (read !== length) {
          this.fail('file-read-error', `read ${read} of ${length} bytes at ${offset}: the file changed while sending`)
          return
        }
        hasher.update(data)
        this.readBytes = offset + length
        this.ready.push(frame)
        this.o.link.queue.wake()
        this.fill()
      },
      (err: unknown) => {
        this.reading = false
        this.fail('file-read-error', err instanceof Error ? err.message : String(err))
      },
    )
  }
}
