import {
  ACK_EVERY_BYTES,
  ACK_EVERY_MS,
  DEFAULT_CHUNK_BYTES,
  encodeFrame,
  FerryError,
  type FerryErrorCode,
  type StartFrame,
  WINDOW_BYTES,
  type WireKind,
} from '@ferry/protocol'
import { bytesEqual, toHex } from './hex.js'
import { IdleTimer } from './idle-timer.js'
import type { PeerLink } from './peer-link.js'
import type { Hasher } from './types.js'

/**
 * Bytes a sender may have sent beyond this side's last ack: a sender keeps at most WINDOW_BYTES past
 * the last ack it got, plus the chunk it was reading when an ack came. One that sends more ignores
 * acks, and would make this side queue writes (and their chunks) without bound: it fails.
 */
const MAX_UNACKED_BYTES = WINDOW_BYTES + DEFAULT_CHUNK_BYTES

/** Where the bytes of one incoming transfer go: memory for a buffer, the platform's storage for a file. */
export interface TransferSink<T> {
  write(data: Uint8Array): Promise<void> | void
  finish(sha256: string): Promise<T>
  abort(): Promise<void>
}

export interface IncomingTransferOptions<T> {
  start: StartFrame
  /** Where acks, end-acks and errors go: the link the start frame came on. */
  link: Pick<PeerLink, 'queue'>
  hasher: Promise<Hasher>
  sink: Promise<TransferSink<T>>
  idleTimeoutMs: number
  onProgress(received: number, total: number): void
  /** Called once: with the stored result, or with the error that ended the transfer. Nothing is kept on error. */
  onEnd(outcome: { result: T; sha256: string } | { error: FerryError }): void
}

/**
 * The receiving side of a buffer or file transfer. Checks that chunks come in order and within the
 * announced size, hashes them, writes them in order, acks what is written (so the sender's window
 * bounds what waits here), and delivers only after the SHA-256 matched. On any failure it removes
 * what it wrote.
 */
export class IncomingTransfer<T> {
  readonly kind: WireKind
  readonly size: number
  private sink: TransferSink<T> | undefined
  private hasher: Hasher | undefined
  private chain: Promise<void>
  private expected = 0
  private stored = 0
  private acked = 0
  private ackedAt = Date.now()
  private readonly ackEvery: number
  private finished = false
  /** An end frame came: another is ignored (a sender sends it again after a resume). */
  private endSeen = false
  /**
   * The digest matched and the sink is completing the result (a rename, for a file): nothing may
   * drop it now, since a removal racing the completion could leave a file behind undelivered. A
   * cancel, error or lost link that comes now is too late: the transfer is delivered.
   */
  private completing = false
  private readonly idle: IdleTimer

  constructor(private readonly o: IncomingTransferOptions<T>) {
    this.kind = o.start.kind
    this.size = o.start.size
    this.ackEvery = Math.max(1, Math.min(ACK_EVERY_BYTES, Math.ceil(this.size / 100)))
    this.idle = new IdleTimer(o.idleTimeoutMs, () => this.fail('idle-timeout', 'no data from the sender'))
    this.chain = Promise.all([o.sink, o.hasher]).then(([sink, hasher]) => {
      this.sink = sink
      this.hasher = hasher
      if (this.finished) void sink.abort().catch(() => {})
    })
    this.chain.catch((err: unknown) => this.failFromError(err, 'file-write-error'))
  }

  get taskId(): number {
    return this.o.start.taskId
  }

  /** Every byte before this has arrived (and is hashed or queued for storage): where a resumed sender goes on. */
  get received(): number {
    return this.expected
  }

  onChunk(offset: number, data: Uint8Array): void {
    if (this.finished || this.completing) return
    if (offset !== this.expected || data.length === 0 || offset + data.length > this.size) {
      this.fail('protocol-error', `chunk at ${offset}+${data.length}, expected ${this.expected} of ${this.size}`)
      return
    }
    if (offset + data.length - this.acked > MAX_UNACKED_BYTES) {
      this.fail(
        'window-exceeded',
        `${offset + data.length - this.acked} bytes past the last ack, limit ${MAX_UNACKED_BYTES}`,
      )
      return
    }
    this.expected += data.length
    this.idle.touch()
    // Hashing runs in the write chain, in order, once the (possibly asynchronous) hasher exists.
    this.chain = this.chain.then(async () => {
      if (this.finished) return
      this.hasher!.update(data)
      await this.sink!.write(data)
      this.stored += data.length
      this.maybeAck()
    })
    this.chain.catch((err: unknown) => this.failFromError(err, 'file-write-error'))
  }

  onEnd(sha256: Uint8Array): void {
    if (this.finished || this.endSeen) return
    if (this.expected !== this.size) {
      this.fail('protocol-error', `end after ${this.expected} of ${this.size} bytes`)
      return
    }
    this.endSeen = true
    this.chain
      .then(async () => {
        if (this.finished) return
        const digest = this.hasher!.digest()
        const announced = this.o.start.sha256
        if (!bytesEqual(digest, sha256) || (announced && !bytesEqual(digest, announced))) {
          this.fail('integrity-mismatch', `sha-256 ${toHex(digest)} is not the sender's ${toHex(sha256)}`)
          return
        }
        const hex = toHex(digest)
        if (this.acked < this.size) this.sendAck(this.size)
        this.completing = true
        let result: T
        try {
          result = await this.sink!.finish(hex)
        } finally {
          this.completing = false
        }
        this.finished = true
        this.idle.stop()
        this.o.link.queue.sendControl(encodeFrame({ type: 'end-ack', taskId: this.o.start.taskId }))
        this.o.onEnd({ result, sha256: hex })
      })
      .catch((err: unknown) => this.failFromError(err, 'file-write-error'))
  }

  /** The sender cancelled or reported an error: drop everything, tell nobody. */
  onPeerEnd(code: FerryErrorCode, message: string): void {
    this.end(new FerryError(code, message))
  }

  /** Cancels from this side: tells the sender, drops everything. */
  cancel(): void {
    if (this.finished || this.completing) return
    this.o.link.queue.sendControl(encodeFrame({ type: 'cancel', taskId: this.o.start.taskId, origin: 'receiver' }))
    this.end(new FerryError('cancelled', 'cancelled by the receiver'))
  }

  onLinkClosed(code: FerryErrorCode, message: string): void {
    this.end(new FerryError(code, message))
  }

  /** Fails with `code` and tells the sender, so it stops sending. */
  fail(code: FerryErrorCode, message: string): void {
    if (this.finished || this.completing) return
    this.o.link.queue.sendControl(
      encodeFrame({ type: 'error', taskId: this.o.start.taskId, origin: 'receiver', code, message }),
    )
    this.end(new FerryError(code, message))
  }

  private failFromError(err: unknown, fallback: FerryErrorCode): void {
    if (err instanceof FerryError) this.fail(err.code, err.message)
    else this.fail(fallback, err instanceof Error ? err.message : String(err))
  }

  private end(error: FerryError): void {
    if (this.finished || this.completing) return
    this.finished = true
    this.idle.stop()
    // Remove what was written once pending writes have settled, so no write lands after the removal.
    void this.chain
      .catch(() => {})
      .then(() => this.sink?.abort())
      .catch(() => {})
    this.o.onEnd({ error })
  }

  private maybeAck(): void {
    const now = Date.now()
    if (this.stored === this.size || this.stored - this.acked >= this.ackEvery || now - this.ackedAt >= ACK_EVERY_MS) {
      this.sendAck(this.stored)
      this.ackedAt = now
    }
  }

  private sendAck(received: number): void {
    this.acked = received
    this.o.link.queue.sendControl(encodeFrame({ type: 'ack', taskId: this.o.start.taskId, received }))
    this.o.onProgress(received, this.size)
  }
}
