import {
  encodeFrame,
  FerryError,
  type FerryErrorCode,
  type Frame,
  MEDIA_TASK_ID_BASE,
  type MediaInfo,
  type MediaRequestFrame,
  type StartFrame,
} from '@ferry/protocol'
import { IncomingTransfer, type TransferSink } from '../incoming-transfer.js'
import { OutgoingTransfer } from '../outgoing-transfer.js'
import type { PeerLink } from '../peer-link.js'
import type { FileSource, Hasher } from '../types.js'
import type { MediaCache } from './media-cache.js'

/** The largest media request id; ids wrap around to MEDIA_TASK_ID_BASE after it. */
const MAX_MEDIA_TASK_ID = 0xffff_ffff

/**
 * Media requests of one peer served at once (cache lookups included); more are refused with
 * `too-many-tasks` and the peer moves on to another holder or the server store. Each served media may
 * put a window (WINDOW_BYTES) on the wire that only that peer's acks release: two bound what one peer
 * can make this client send and hold for it.
 */
export const MAX_SERVED_MEDIA_PER_PEER = 2

/**
 * Media requests served at once, from all peers. The relay cuts off a user with more than
 * MAX_RELAY_TRANSFERS_PER_USER (64) transfers at once, served media included: 8 leaves the rest to
 * this client's own sends, whatever peers ask, and is enough for a room's members fetching a new
 * file from each other (a refused one fetches from another holder or the store).
 */
export const MAX_SERVED_MEDIA = 8

/** A media fetch in progress: what it waits for, and the transfer once the holder started it. */
interface Fetching {
  link: PeerLink
  id: number
  info: MediaInfo
  sink: TransferSink<void>
  onProgress(received: number): void
  settle(error?: FerryError): void
  transfer?: IncomingTransfer<void>
}

interface Serving {
  link: PeerLink
  transfer: OutgoingTransfer
}

export interface PeerMediaOptions {
  /** This client's media cache, once logged in. */
  cache(): MediaCache | undefined
  createHasher(): Promise<Hasher>
  idleTimeoutMs: number
}

/** A fetch from a peer: resolves when the media is in the sink and verified; `cancel` stops it. */
export interface PeerFetch {
  done: Promise<void>
  cancel(): void
}

/**
 * Media between peers. A client asks a peer for a media id it needs (a media-request frame); the
 * peer answers with a `media` transfer under the request's task id, read from its cache, or with an
 * error such as `media-not-found`. Any holder of an id serves it: knowing the id is the capability.
 *
 * Request ids live in the upper half of the task id space, so they never meet ids of cmds or transfers.
 * Both peers may use the same request id at once (one fetching from the other); the frame's direction
 * tells them apart: start, chunk and end (and cancel, error, resume from the sender) belong to our fetch;
 * ack and end-ack (and cancel, error, resume from the receiver) to what we serve.
 */
export class PeerMedia {
  private next = MEDIA_TASK_ID_BASE
  private readonly fetching = new Map<string, Fetching>()
  private readonly serving = new Map<string, Serving>()
  /** Requests whose media is being looked up in the cache, before a transfer serves it. */
  private readonly lookups = new Map<string, PeerLink>()

  constructor(private readonly o: PeerMediaOptions) {}

  /** Asks the peer behind `link` for `info.mediaId`; the bytes go to `sink`, whose finish gets the SHA-256. */
  fetch(link: PeerLink, info: MediaInfo, sink: TransferSink<void>, onProgress: (received: number) => void): PeerFetch {
    const id = this.allocate(link.peer)
    const key = keyOf(link.peer, id)
    let cancel = () => {}
    let fail: (error: FerryError) => void = () => {}
    const done = new Promise<void>((resolve, reject) => {
      const entry: Fetching = {
        link,
        id,
        info,
        sink,
        onProgress,
        settle: (error) => {
          if (this.fetching.get(key) !== entry) return
          this.fetching.delete(key)
          if (error) {
            if (!entry.transfer) void sink.abort().catch(() => {})
            reject(error)
          } else resolve()
        },
      }
      this.fetching.set(key, entry)
      fail = entry.settle
      cancel = () => {
        if (entry.transfer) entry.transfer.cancel()
        else {
          link.queue.sendControl(encodeFrame({ type: 'cancel', taskId: id, origin: 'receiver' }))
          entry.settle(new FerryError('cancelled', 'cancelled by the downloader'))
        }
      }
    })
    const request = encodeFrame({ type: 'media-request', taskId: id, mediaId: info.mediaId, offset: 0 })
    if (!link.queue.offerControl(request)) {
      fail(new FerryError('too-many-tasks', `too many frames wait for the link to ${link.peer}`))
    }
    return { done, cancel: () => cancel() }
  }

  /** A frame whose task id is MEDIA_TASK_ID_BASE or above. */
  onFrame(link: PeerLink, frame: Frame): void {
    const key = keyOf(link.peer, frame.taskId)
    const fetching = this.fetching.get(key)
    const ours = fetching?.link === link ? fetching : undefined
    const served = this.serving.get(key)
    const serving = served?.link === link ? served : undefined
    switch (frame.type) {
      case 'media-request':
        this.serve(link, frame).catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err)
          reply(link, frame.taskId, 'sender', 'unknown', `the media could not be served: ${message}`)
        })
        return
      case 'start':
        this.onStart(link, ours, frame)
        return
      case 'chunk':
        ours?.transfer?.onChunk(frame.offset, frame.data)
        return
      case 'end':
        ours?.transfer?.onEnd(frame.sha256)
        return
      case 'ack':
        serving?.transfer.onAck(frame.received)
        return
      case 'end-ack':
        serving?.transfer.onEndAck()
        return
      case 'cancel':
      case 'error': {
        const code: FerryErrorCode = frame.type === 'cancel' ? 'cancelled' : frame.code
        const message = frame.type === 'cancel' ? `cancelled by the ${frame.origin}` : frame.message
        if (frame.origin === 'receiver') {
          serving?.transfer.onPeerEnd(code, message)
          return
        }
        if (ours?.transfer) ours.transfer.onPeerEnd(code, message)
        else ours?.settle(new FerryError(code, message))
        // Confirmed whether we knew the fetch or not: the relay charges the holder until we do.
        link.queue.sendControl(encodeFrame({ type: 'cancel', taskId: frame.taskId, origin: 'receiver' }))
        return
      }
      case 'resume':
        if (frame.origin === 'receiver') serving?.transfer.onResume(frame.offset)
        else if (ours?.transfer) {
          link.queue.sendControl(
            encodeFrame({ type: 'resume', taskId: frame.taskId, origin: 'receiver', offset: ours.transfer.received }),
          )
        } else if (!ours) reply(link, frame.taskId, 'receiver', 'unknown-task', 'no such media fetch')
        return
      default:
        reply(link, frame.taskId, 'receiver', 'protocol-error', `a ${frame.type} frame with a media task id`)
    }
  }

  /** The link's transport was replaced: fetches say where they stand; what we serve waits to be told. */
  onLinkSwitched(link: PeerLink): void {
    for (const entry of this.fetching.values()) {
      if (entry.link !== link) continue
      if (entry.transfer) {
        const offset = entry.transfer.received
        link.queue.sendControl(encodeFrame({ type: 'resume', taskId: entry.id, origin: 'receiver', offset }))
      } else {
        // The request itself may have been lost with the old transport: ask again.
        link.queue.sendControl(
          encodeFrame({ type: 'media-request', taskId: entry.id, mediaId: entry.info.mediaId, offset: 0 }),
        )
      }
    }
    for (const entry of this.serving.values()) if (entry.link === link) entry.transfer.suspend()
  }

  onLinkClosed(link: PeerLink, code: FerryErrorCode, message: string): void {
    for (const entry of [...this.fetching.values()]) {
      if (entry.link !== link) continue
      if (entry.transfer) entry.transfer.onLinkClosed(code, message)
      else entry.settle(new FerryError(code, message))
    }
    for (const entry of [...this.serving.values()]) {
      if (entry.link === link) entry.transfer.onLinkClosed(code, message)
    }
  }

  closeAll(code: FerryErrorCode, message: string): void {
    for (const entry of [...this.fetching.values()]) this.onLinkClosed(entry.link, code, message)
    for (const entry of [...this.serving.values()]) entry.transfer.onLinkClosed(code, message)
  }

  private onStart(link: PeerLink, entry: Fetching | undefined, start: StartFrame): void {
    if (!entry) {
      reply(link, start.taskId, 'receiver', 'unknown-task', 'no such media fetch')
      return
    }
    if (entry.transfer) return // a repeated answer to a request sent twice (see onLinkSwitched)
    const { info } = entry
    if (start.kind !== 'media' || start.name !== info.mediaId || start.size !== info.size) {
      reply(link, start.taskId, 'receiver', 'protocol-error', 'the media answer does not match the request')
      entry.settle(new FerryError('protocol-error', `${link.peer} answered with another media`))
      return
    }
    entry.transfer = new IncomingTransfer<void>({
      start,
      link,
      hasher: this.o.createHasher(),
      sink: Promise.resolve(entry.sink),
      idleTimeoutMs: this.o.idleTimeoutMs,
      onProgress: (received) => entry.onProgress(received),
      onEnd: (outcome) => entry.settle('error' in outcome ? outcome.error : undefined),
    })
  }

  private async serve(link: PeerLink, request: MediaRequestFrame): Promise<void> {
    const { taskId, mediaId } = request
    const key = keyOf(link.peer, taskId)
    // Asked again after a transport switch: the transfer resumes instead.
    if (this.serving.has(key) || this.lookups.has(key)) return
    if (request.offset !== 0) {
      reply(link, taskId, 'sender', 'invalid-argument', 'media is served from the start')
      return
    }
    const busy = this.servedTo(link.peer)
    if (busy >= MAX_SERVED_MEDIA_PER_PEER || this.serving.size + this.lookups.size >= MAX_SERVED_MEDIA) {
      const limit = busy >= MAX_SERVED_MEDIA_PER_PEER ? `${busy} to this peer` : `${MAX_SERVED_MEDIA} in all`
      reply(link, taskId, 'sender', 'too-many-tasks', `serving ${limit} already`)
      return
    }
    this.lookups.set(key, link)
    const cache = this.o.cache()
    let source: FileSource | undefined
    try {
      if (cache && (await cache.get(mediaId))) source = await cache.open(mediaId)
    } catch {
      source = undefined
    } finally {
      this.lookups.delete(key)
    }
    if (!source) {
      reply(link, taskId, 'sender', 'media-not-found', `${mediaId} is not in this peer's cache`)
      return
    }
    if (link.state === 'closed' || this.serving.has(key)) {
      void source.close().catch(() => {})
      return
    }
    const named = namedSource(source, mediaId)
    const transfer = new OutgoingTransfer({
      wireId: taskId,
      kind: 'media',
      source: named,
      link,
      hasher: this.o.createHasher(),
      idleTimeoutMs: this.o.idleTimeoutMs,
      onProgress: () => {},
      onEnd: () => {
        if (this.serving.get(key)?.transfer === transfer) this.serving.delete(key)
      },
    })
    this.serving.set(key, { link, transfer })
  }

  /** Requests of `peer` being served or looked up now. */
  private servedTo(peer: string): number {
    let count = 0
    for (const entry of this.serving.values()) if (entry.link.peer === peer) count++
    for (const link of this.lookups.values()) if (link.peer === peer) count++
    return count
  }

  private allocate(peer: string): number {
    do {
      this.next = this.next >= MAX_MEDIA_TASK_ID ? MEDIA_TASK_ID_BASE + 1 : this.next + 1
    } while (this.fetching.has(keyOf(peer, this.next)))
    return this.next
  }
}

/** The source under the media id: a media transfer's start frame names the media it carries. */
function namedSource(source: FileSource, mediaId: string): FileSource {
  const named: FileSource = {
    name: mediaId,
    size: source.size,
    mime: source.mime,
    readInto: (target, position) => source.readInto(target, position),
    close: () => source.close(),
  }
  const withPrefix = source.readWithPrefix?.bind(source)
  if (withPrefix) named.readWithPrefix = withPrefix
  return named
}

function keyOf(peer: string, taskId: number): string {
  return `${peer}\n${taskId}`
}

function reply(
  link: PeerLink,
  taskId: number,
  origin: 'sender' | 'receiver',
  code: FerryErrorCode,
  message: string,
): void {
  link.queue.sendControl(encodeFrame({ type: 'error', taskId, origin, code, message }))
}
