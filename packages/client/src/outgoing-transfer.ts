import {
  CHUNK_HEADER_BYTES,
  encodeFrame,
  FerryError,
  type FerryErrorCode,
  WINDOW_BYTES,
  type WireKind,
  writeChunkHeader,
} from '@ferry/protocol'
import { IdleTimer } from './idle-timer.js'
import type { PeerLink } from './peer-link.js'
import type { RelayCharge } from './relay-pool.js'
import type { FrameSource } from './send-queue.js'
import type { FileSource, Hasher } from './types.js'

/**
 * Chunks read ahead of the channel, all at once, so a slow read (a Blob slice in a browser goes
 * through the blob registry) never leaves the channel idle. Reads finish in any order; frames are
 * hashed and queued in order.
 */
const READ_AHEAD_CHUNKS = 4

interface PendingRead {
  offset: number
  length: number
  /** The chunk frame, once the read has finished. */
  frame?: Uint8Array
}

/** A chunk frame read, hashed and ready to go. */
interface ReadyChunk {
  offset: number
  frame: Uint8Array
}

export interface OutgoingTransferOptions {
  wireId: number
  kind: WireKind
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
 * When the link changes transport mid-transfer it stops, and goes on from where the receiver says.
 * On the relay, its chunks also draw from the client's relay pool (see `RelayPool`): charged from the
 * first chunk relayed, given back by acks, held after this side cancelled or failed it.
 */
export class OutgoingTransfer implements FrameSource {
  readonly size: number
  private readonly startFrame: Uint8Array
  private ready: ReadyChunk[] = []
  private reads: PendingRead[] = []
  /** Where the next read starts. */
  private readCursor = 0
  /** Bytes read, hashed and queued in order: everything below has been or can be sent. */
  private readBytes = 0
  /** Bytes fed to the hasher: after a rewind, bytes below this are read again but not hashed again. */
  private hashedBytes = 0
  private acked = 0
  private reported = 0
  /** Bumped by every rewind, so a read that was under way for the old position is dropped. */
  private epoch = 0
  private endSent = false
  private suspended = false
  private finished = false
  private readonly idle: IdleTimer
  private hasher: Hasher | undefined
  /** The relay pool's account of this transfer, from its first chunk on a relayed link. */
  private charge: RelayCharge | undefined

  constructor(private readonly o: OutgoingTransferOptions) {
    this.size = o.source.size
    this.idle = new IdleTimer(o.idleTimeoutMs, () => this.fail('idle-timeout', 'no ack from the receiver'))
    const { source } = o
    this.startFrame = encodeFrame({
      type: 'start',
      taskId: o.wireId,
      kind: o.kind,
      size: this.size,
      name: source.name,
      mime: source.mime,
    })
    o.link.queue.sendControl(this.startFrame)
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

  nextFrame(): Uint8Array | undefined {
    if (this.finished || this.suspended) return undefined
    const chunk = this.ready[0]
    if (chunk) {
      if (!this.drawFromPool(chunk)) return undefined
      this.ready.shift()
      this.fill()
      return chunk.frame
    }
    if (this.readBytes === this.size && this.hasher && !this.endSent) {
      this.endSent = true
      return encodeFrame({ type: 'end', taskId: this.o.wireId, sha256: this.hasher.digest() })
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
    this.acked = received
    this.charge?.credit(received)
    if (received > this.reported) {
      this.reported = received
      this.o.onProgress(received, this.size)
    }
    this.fill()
  }

  onEndAck(): void {
    if (this.finished) return
    if (!this.endSent && !this.suspended) {
      this.fail('protocol-error', 'end-ack before end')
      return
    }
    if (this.reported < this.size) this.o.onProgress(this.size, this.size)
    this.end(undefined, 'release')
  }

  /** The receiver cancelled, or reported an error. */
  onPeerEnd(code: FerryErrorCode, message: string): void {
    if (this.suspended && code === 'unknown-task') {
      // The start frame was lost with the old transport: begin again on the new one, a new transfer
      // to the relay too (the receiver's answer ended the old one there).
      this.charge?.release()
      this.charge = undefined
      this.o.link.queue.sendControl(this.startFrame)
      this.acked = 0
      this.rewind(0)
      return
    }
    this.end(new FerryError(code, message), 'release')
  }

  /**
   * The link's transport was replaced: frames on the old one may be lost. Stop, and ask the receiver
   * where to go on; `onResume` continues.
   */
  suspend(): void {
    if (this.finished) return
    this.suspended = true
    this.epoch++
    this.ready = []
    this.reads = []
    this.readCursor = this.readBytes
    this.o.link.queue.sendControl(
      encodeFrame({ type: 'resume', taskId: this.o.wireId, origin: 'sender', offset: this.acked }),
    )
  }

  /** The receiver has every byte before `offset`: go on from there. */
  onResume(offset: number): void {
    if (this.finished || !this.suspended) return
    if (offset < this.acked || offset > this.readBytes) {
      this.fail('protocol-error', `resume at ${offset}, acked ${this.acked}, sent ${this.readBytes}`)
      return
    }
    this.idle.touch()
    this.charge?.rebase(offset)
    this.rewind(offset)
  }

  /** Cancels from this side: tells the receiver, which drops what it has. */
  cancel(): void {
    if (this.finished) return
    this.o.link.queue.sendControl(encodeFrame({ type: 'cancel', taskId: this.o.wireId, origin: 'sender' }))
    this.end(new FerryError('cancelled', 'cancelled by the sender'), 'hold')
  }

  /** The link went away: nothing can be sent any more. */
  onLinkClosed(code: FerryErrorCode, message: string): void {
    this.end(new FerryError(code, message), 'release')
  }

  private rewind(offset: number): void {
    this.epoch++
    this.ready = []
    this.reads = []
    this.readBytes = offset
    this.readCursor = offset
    this.endSent = false
    this.suspended = false
    this.fill()
    this.o.link.queue.wake()
  }

  private fail(code: FerryErrorCode, message: string): void {
    if (this.finished) return
    this.o.link.queue.sendControl(
      encodeFrame({ type: 'error', taskId: this.o.wireId, origin: 'sender', code, message }),
    )
    this.end(new FerryError(code, message), 'hold')
  }

  /**
   * Ends the transfer once. `charge`: what becomes of its relay charge, `release` when the receiver
   * ended it (or the link is gone), `hold` when this side did and the receiver has yet to confirm.
   */
  private end(error: FerryError | undefined, charge: 'release' | 'hold'): void {
    if (this.finished) return
    this.finished = true
    this.idle.stop()
    if (charge === 'hold') this.charge?.hold()
    else this.charge?.release()
    this.ready = []
    this.o.link.queue.removeSource(this)
    void this.o.source.close().catch(() => {})
    this.o.onEnd(error)
  }

  /** On a relayed link, charges `chunk` to the relay pool; false when it has to wait for room. */
  private drawFromPool(chunk: ReadyChunk): boolean {
    const { link } = this.o
    const pool = link.relayPool
    if (!pool) return true
    this.charge ??= pool.charge(link, this.o.wireId)
    return this.charge.take(chunk.offset, chunk.frame.length - CHUNK_HEADER_BYTES, () => link.queue.wake())
  }

  private fill(): void {
    if (this.finished || this.suspended || !this.hasher) return
    while (
      this.readCursor < this.size &&
      this.reads.length + this.ready.length < READ_AHEAD_CHUNKS &&
      this.readCursor - this.acked < WINDOW_BYTES
    ) {
      const offset = this.readCursor
      const length = Math.min(this.o.link.chunkBytes, this.size - offset)
      const pending: PendingRead = { offset, length }
      const { epoch } = this
      this.reads.push(pending)
      this.readCursor = offset + length
      this.readChunk(offset, length).then(
        (frame) => {
          if (this.finished || epoch !== this.epoch) return
          pending.frame = frame
          this.takeReads()
        },
        (err: unknown) => {
          if (epoch === this.epoch) this.fail('file-read-error', err instanceof Error ? err.message : String(err))
        },
      )
    }
  }

  /** A chunk frame with the source's bytes at `offset`; its data may be short if the source shrank. */
  private async readChunk(offset: number, length: number): Promise<Uint8Array> {
    const { source } = this.o
    if (source.readWithPrefix) {
      const header = new Uint8Array(CHUNK_HEADER_BYTES)
      writeChunkHeader(header, this.o.wireId, offset)
      return source.readWithPrefix(header, offset, length)
    }
    const frame = new Uint8Array(CHUNK_HEADER_BYTES + length)
    writeChunkHeader(frame, this.o.wireId, offset)
    const read = await source.readInto(frame.subarray(CHUNK_HEADER_BYTES), offset)
    return read === length ? frame : frame.subarray(0, CHUNK_HEADER_BYTES + read)
  }

  /** Moves finished reads, in order, to the ready frames, hashing what was not hashed before. */
  private takeReads(): void {
    const hasher = this.hasher!
    let took = false
    while (this.reads[0]?.frame !== undefined) {
      const { offset, length, frame } = this.reads.shift() as Required<PendingRead>
      const data = frame.subarray(CHUNK_HEADER_BYTES)
      if (data.length !== length) {
        this.fail(
          'file-read-error',
          `read ${data.length} of ${length} bytes at ${offset}: the file changed while sending`,
        )
        return
      }
      const end = offset + data.length
      if (end > this.hashedBytes) {
        hasher.update(this.hashedBytes > offset ? data.subarray(this.hashedBytes - offset) : data)
        this.hashedBytes = end
      }
      this.readBytes = end
      this.ready.push({ offset, frame })
      took = true
    }
    if (!took) return
    this.o.link.queue.wake()
    this.fill()
  }
}
