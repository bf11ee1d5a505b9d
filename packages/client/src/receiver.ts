import {
  type CmdFrame,
  DEFAULT_MAX_BUFFER_BYTES,
  decodeMessage,
  encodeFrame,
  FerryError,
  type FerryErrorCode,
  type MessageFrame,
  type StartFrame,
  utf8Decode,
} from '@ferry/protocol'
import { bufferSink } from './buffer-sink.js'
import { ByteBudget } from './byte-budget.js'
import type { Emitter } from './emitter.js'
import { EndedTransfers, type TransferOutcome } from './ended-transfers.js'
import { IncomingTransfer, type TransferSink } from './incoming-transfer.js'
import type { PeerLink } from './peer-link.js'
import type { CancelResult, FerryEvents, FerryOptions, Platform, ReceivedFile } from './types.js'

/**
 * Incoming buffer and file transfers one peer may have open at once; more are refused with
 * `too-many-tasks`. Transfers from one peer share one link in turns, so more at once add no speed,
 * while each may hold an open file and a window (WINDOW_BYTES) of writes not yet done: 16 bounds that
 * to 256 MiB per peer, and stays far below what the relay lets one sender run (64).
 */
export const MAX_INCOMING_PER_PEER = 16

/**
 * Ended incoming transfers remembered per peer, so a sender that lost the end-ack (or the error) with
 * a dead transport and asks to resume is told how its transfer ended: four times what a peer may run
 * at once.
 */
const ENDED_KEPT_PER_PEER = 4 * MAX_INCOMING_PER_PEER

/** Peers whose ended transfers are remembered; the one whose last transfer ended longest ago goes first. */
const ENDED_PEERS_KEPT = 1024

interface Incoming {
  peer: string
  link: PeerLink
  transfer: IncomingTransfer<Uint8Array> | IncomingTransfer<ReceivedFile>
}

/**
 * The receiving half of a client: cmds, and the buffer and file transfers peers send to it, keyed
 * by (peer, task id). Refuses what is over its limits before anything is stored.
 */
export class Receiver {
  private readonly incoming = new Map<string, Incoming>()
  private readonly ended = new EndedTransfers(ENDED_KEPT_PER_PEER, ENDED_PEERS_KEPT)
  /** Bytes of incoming buffers held in memory, across all peers. */
  private readonly bufferMemory: ByteBudget

  constructor(
    private readonly emitter: Emitter<FerryEvents>,
    private readonly platform: Platform,
    private readonly options: Pick<FerryOptions, 'maxBufferBytes' | 'maxBufferMemoryBytes' | 'maxFileBytes'> & {
      idleTimeoutMs: number
      /** This client's user id, once logged in. */
      self(): string
    },
  ) {
    this.bufferMemory = new ByteBudget(options.maxBufferMemoryBytes ?? this.maxBufferBytes)
  }

  onCmd(link: PeerLink, frame: CmdFrame): void {
    const data = frame.text ? utf8Decode(frame.payload) : new Uint8Array(frame.payload)
    if (data === undefined) {
      replyError(link, frame.taskId, 'protocol-error', 'cmd text is not UTF-8')
      return
    }
    link.queue.sendControl(encodeFrame({ type: 'end-ack', taskId: frame.taskId }))
    this.emitter.emit('cmd', { from: link.peer, taskId: String(frame.taskId), data })
  }

  onMessage(link: PeerLink, frame: MessageFrame): void {
    const decoded = decodeMessage(frame.payload)
    if (!decoded.ok) {
      replyError(link, frame.taskId, decoded.code, decoded.reason)
      return
    }
    link.queue.sendControl(encodeFrame({ type: 'end-ack', taskId: frame.taskId }))
    this.emitter.emit('message', { from: link.peer, taskId: String(frame.taskId), message: decoded.message })
  }

  onStart(link: PeerLink, start: StartFrame): void {
    const from = link.peer
    const key = incomingKey(from, start.taskId)
    const { kind, size, name, mime } = start
    // Media transfers answer media requests, under media task ids (see PeerMedia); not here.
    if (kind === 'media') {
      replyError(link, start.taskId, 'protocol-error', 'a media transfer nobody asked for')
      return
    }
    const refusal = this.refuse(key, from, start)
    if (refusal) {
      replyError(link, start.taskId, refusal.code, refusal.message)
      return
    }
    const taskId = String(start.taskId)
    const common = {
      start,
      link,
      hasher: this.platform.createHasher(),
      idleTimeoutMs: this.options.idleTimeoutMs,
      onProgress: (received: number, total: number) =>
        this.emitter.emit('receive-progress', { from, taskId, kind, received, total }),
    }
    const failed = (error: FerryError) => {
      this.remember(key, from, start.taskId, error.code)
      this.emitter.emit('receive-failed', { from, taskId, kind, code: error.code })
    }
    const transfer =
      kind === 'buffer'
        ? new IncomingTransfer<Uint8Array>({
            ...common,
            sink: Promise.resolve(bufferSink(size, this.bufferMemory)),
            onEnd: (outcome) => {
              if ('error' in outcome) return failed(outcome.error)
              this.remember(key, from, start.taskId, 'delivered')
              this.emitter.emit('buffer', { from, taskId, data: outcome.result, sha256: outcome.sha256 })
            },
          })
        : new IncomingTransfer<ReceivedFile>({
            ...common,
            sink: this.fileSink({ from, to: this.options.self(), taskId, name, size, mime }),
            onEnd: (outcome) => {
              if ('error' in outcome) return failed(outcome.error)
              this.remember(key, from, start.taskId, 'delivered')
              this.emitter.emit('file', { from, taskId, file: outcome.result })
            },
          })
    this.incoming.set(key, { peer: from, link, transfer })
    this.emitter.emit('receive-start', { from, taskId, kind, name, size, mime })
  }

  onChunk(link: PeerLink, taskId: number, offset: number, data: Uint8Array): void {
    this.find(link, taskId)?.transfer.onChunk(offset, data)
  }

  onEnd(link: PeerLink, taskId: number, sha256: Uint8Array): void {
    const entry = this.find(link, taskId)
    if (entry) entry.transfer.onEnd(sha256)
    else replyError(link, taskId, 'unknown-task', 'no such incoming transfer')
  }

  /**
   * The sender cancelled or failed the transfer. Confirmed with a cancel of ours whether we knew the
   * task or not: the relay keeps charging the sender for the transfer until the receiver confirms.
   */
  onSenderEnd(link: PeerLink, taskId: number, code: FerryErrorCode, message: string): void {
    this.find(link, taskId)?.transfer.onPeerEnd(code, message)
    link.queue.sendControl(encodeFrame({ type: 'cancel', taskId, origin: 'receiver' }))
  }

  cancel(from: string, taskId: string): CancelResult {
    const entry = this.incoming.get(incomingKey(from, Number(taskId)))
    if (!entry) return 'unknown-task'
    entry.transfer.cancel()
    return 'ok'
  }

  /** The link's transport was replaced: tell the sender of each incoming transfer where to go on. */
  onLinkSwitched(link: PeerLink): void {
    for (const entry of this.incoming.values()) {
      if (entry.link !== link) continue
      const { taskId } = entry.transfer
      link.queue.sendControl(
        encodeFrame({ type: 'resume', taskId, origin: 'receiver', offset: entry.transfer.received }),
      )
    }
  }

  /** The sender asks where to go on after its transport was replaced. */
  onResumeRequest(link: PeerLink, taskId: number): void {
    const entry = this.find(link, taskId)
    if (entry) {
      link.queue.sendControl(
        encodeFrame({ type: 'resume', taskId, origin: 'receiver', offset: entry.transfer.received }),
      )
      return
    }
    const ended = this.ended.get(link.peer, taskId)
    if (ended === 'delivered') link.queue.sendControl(encodeFrame({ type: 'end-ack', taskId }))
    else
      replyError(link, taskId, ended ?? 'unknown-task', ended ? 'the transfer had ended' : 'no such incoming transfer')
  }

  onLinkClosed(link: PeerLink, code: FerryErrorCode, message: string): void {
    for (const entry of [...this.incoming.values()]) {
      if (entry.link === link) entry.transfer.onLinkClosed(code, message)
    }
  }

  closeAll(code: FerryErrorCode, message: string): void {
    for (const entry of [...this.incoming.values()]) entry.transfer.onLinkClosed(code, message)
  }

  private remember(key: string, peer: string, taskId: number, outcome: TransferOutcome): void {
    this.incoming.delete(key)
    this.ended.add(peer, taskId, outcome)
  }

  /** The platform's sink for a file; one that throws instead of rejecting fails the transfer all the same. */
  private async fileSink(info: Parameters<Platform['createFileSink']>[0]): Promise<TransferSink<ReceivedFile>> {
    return this.platform.createFileSink(info)
  }

  private get maxBufferBytes(): number {
    return this.options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES
  }

  private find(link: PeerLink, taskId: number): Incoming | undefined {
    const entry = this.incoming.get(incomingKey(link.peer, taskId))
    return entry?.link === link ? entry : undefined
  }

  /**
   * Why a transfer may not start, if it may not. Buffers are admitted per peer: the sizes one peer
   * announces for its running buffers add up to at most `maxBufferBytes`, so a peer that announces
   * more than it sends can only hold up its own further buffers. Memory is taken as bytes arrive,
   * from the budget all peers share (see `bufferSink`).
   */
  private refuse(key: string, from: string, start: StartFrame): FerryError | undefined {
    if (this.incoming.has(key)) return new FerryError('protocol-error', 'a transfer with this id is running')
    let fromPeer = 0
    let announced = 0
    for (const entry of this.incoming.values()) {
      if (entry.peer !== from) continue
      fromPeer++
      if (entry.transfer.kind === 'buffer') announced += entry.transfer.size
    }
    if (fromPeer >= MAX_INCOMING_PER_PEER) {
      return new FerryError('too-many-tasks', `${MAX_INCOMING_PER_PEER} incoming transfers from ${from} are running`)
    }
    if (start.kind === 'buffer') {
      const max = this.maxBufferBytes
      if (start.size > max) return new FerryError('buffer-too-large', `${start.size} bytes, limit ${max}`)
      if (announced + start.size > max) {
        return new FerryError(
          'storage-full',
          `buffers from ${from} would hold ${announced + start.size} bytes, limit ${max}`,
        )
      }
    } else if (this.options.maxFileBytes !== undefined && start.size > this.options.maxFileBytes) {
      return new FerryError('file-too-large', `${start.size} bytes, limit ${this.options.maxFileBytes}`)
    }
    return undefined
  }
}

function incomingKey(peer: string, taskId: number): string {
  return `${peer}\n${taskId}`
}

function replyError(link: PeerLink, taskId: number, code: FerryErrorCode, message: string): void {
  link.queue.sendControl(encodeFrame({ type: 'error', taskId, origin: 'receiver', code, message }))
}
