import {
  checkMessage,
  DEFAULT_MEDIA_MAX_BYTES,
  FerryError,
  type FerryErrorCode,
  type FileMessage,
  type Frame,
  type ImageMessage,
  MAX_MEDIA_TASKS,
  MEDIA_ID_PATTERN,
  MEDIA_IDLE_TIMEOUT_MS,
  MEDIA_SOURCE_TIMEOUT_MS,
  type MediaInfo,
  type MediaMessage,
  type MediaStoreOffer,
} from '@ferry/protocol'
import type { PeerLink } from '../peer-link.js'
import type { CancelResult, FerryOptions, FileInput, Platform } from '../types.js'
import { download } from './download.js'
import { IMAGE_HEADER_BYTES, imageDimensions } from './image-info.js'
import type { CachedMedia, MediaCache } from './media-cache.js'
import type { MediaHolderSignals } from './media-holders.js'
import { newMediaId } from './media-id.js'
import { MediaTasks } from './media-tasks.js'
import type { DownloadOptions, DownloadTask, ImageUploadOptions, MediaEvents, MediaTask } from './media-types.js'
import { PeerMedia } from './peer-media.js'
import { fetchServerInfo, type ServerStore } from './server-media.js'
import { mediaInfoOf, upload } from './upload.js'

export interface ClientMediaOptions {
  options: FerryOptions
  platform: Platform
  emit<K extends keyof MediaEvents>(type: K, event: MediaEvents[K]): void
  /** Links to peers, once logged in. */
  link(peer: string): PeerLink
  /** Tells the server what this client holds, and asks it who else holds a media. */
  holders: MediaHolderSignals
  /** Something went wrong that belongs to no task (the client's `error` event). */
  reportError(error: FerryError): void
}

/** Options of `messageFromMedia`: which message to make, and what an upload would have taken. */
export type MessageFromMediaOptions = Omit<ImageUploadOptions, 'signal' | 'cookie'> & { type?: 'file' | 'image' }

/**
 * A client's media: its local cache, uploads and downloads by media id (tasks with progress, cancel
 * and the concurrency limit), and serving its cached media to peers that ask.
 */
export class ClientMedia {
  readonly peers: PeerMedia
  private readonly tasks: MediaTasks
  private cache: MediaCache | undefined
  private self: string | undefined
  private server: ServerStore | undefined

  constructor(private readonly o: ClientMediaOptions) {
    this.peers = new PeerMedia({
      cache: () => this.cache,
      createHasher: () => o.platform.createHasher(),
      idleTimeoutMs: o.options.mediaIdleTimeoutMs ?? MEDIA_IDLE_TIMEOUT_MS,
    })
    this.tasks = new MediaTasks({
      maxTasks: o.options.maxMediaTasks ?? MAX_MEDIA_TASKS,
      queue: o.options.queueMediaTasks ?? false,
      idleTimeoutMs: o.options.mediaIdleTimeoutMs ?? MEDIA_IDLE_TIMEOUT_MS,
      emit: o.emit,
    })
  }

  /**
   * Logged in as `userId` on the node at `url`; `offer` is that node's media store, if it has one
   * (its key is good on that node, the one this session is on).
   */
  onSession(userId: string, url: string, offer: MediaStoreOffer | undefined): void {
    if (this.self !== userId) {
      // Runs in a Socket.IO handler: a platform that cannot make a cache is reported, never thrown.
      // Media calls then fail with `not-logged-in`, and peers asking for media get `media-not-found`.
      try {
        this.cache = this.o.platform.createMediaCache(userId)
      } catch (err) {
        this.cache = undefined
        const error = err instanceof FerryError ? err : new FerryError('unknown', String(err))
        this.o.reportError(new FerryError(error.code, `no media cache for ${userId}: ${error.message}`))
      }
    }
    this.self = userId
    this.server = offer ? { url, key: offer.key, maxBytes: offer.maxBytes } : undefined
  }

  upload<M extends MediaMessage>(type: M['type'], input: FileInput, options: ImageUploadOptions): MediaTask<M> {
    const mediaId = newMediaId()
    return this.tasks.start('upload', mediaId, options.cookie, options.signal, async (context) => {
      const { cache, self } = this.loggedIn()
      if (typeof input !== 'string' && !(typeof Blob !== 'undefined' && input instanceof Blob)) {
        throw new FerryError('invalid-argument', 'a file is a Blob, a File or (in Node) a path')
      }
      const maxBytes = this.server?.maxBytes ?? this.o.options.maxMediaBytes ?? DEFAULT_MEDIA_MAX_BYTES
      const job = {
        type,
        input,
        options,
        mediaId,
        uploader: self,
        platform: this.o.platform,
        cache,
        server: this.server,
        maxBytes,
      }
      const message = (await upload(job, context)) as M
      this.o.holders.have(mediaId)
      return message
    })
  }

  download(target: MediaMessage | string, options: DownloadOptions): DownloadTask {
    const mediaId = typeof target === 'string' ? target : target?.mediaId
    return this.tasks.start('download', String(mediaId), options.cookie, options.signal, async (context) => {
      const { cache, self } = this.loggedIn()
      if (typeof target !== 'string') {
        const check = checkMessage(target)
        if (!check.ok || (target.type !== 'file' && target.type !== 'image'))
          throw new FerryError('invalid-argument', 'not a file or image message')
      }
      const result = await download(
        {
          target,
          options,
          self,
          platform: this.o.platform,
          cache,
          server: this.server,
          peerMedia: this.peers,
          holders: this.o.holders,
          link: this.o.link,
          sourceTimeoutMs: this.o.options.mediaSourceTimeoutMs ?? MEDIA_SOURCE_TIMEOUT_MS,
        },
        context,
      )
      this.o.holders.have(result.mediaId)
      return result
    })
  }

  cancel(taskId: string): CancelResult {
    return this.tasks.cancel(taskId)
  }

  /**
   * A message for a media id that was uploaded before (no upload): its details come from the local
   * cache, else from the server store. An image's size is read from its header unless given.
   */
  async messageFromMedia(mediaId: string, options: MessageFromMediaOptions = {}): Promise<FileMessage | ImageMessage> {
    const { cache } = this.loggedIn()
    if (typeof mediaId !== 'string' || !MEDIA_ID_PATTERN.test(mediaId)) {
      throw new FerryError('invalid-argument', 'not a media id')
    }
    const cached = await cache.get(mediaId)
    let info: MediaInfo
    if (cached) info = mediaInfoOf(cached)
    else if (this.server) info = await fetchServerInfo(this.server, mediaId, new AbortController().signal)
    else throw new FerryError('media-not-found', `${mediaId} is not in the cache and this server keeps no media`)
    const base = {
      ...info,
      ...(options.fileName !== undefined ? { fileName: options.fileName } : {}),
      ...(options.text !== undefined ? { text: options.text } : {}),
      ...(options.thumbnail !== undefined ? { thumbnail: options.thumbnail } : {}),
      ...(options.thumbnailMime !== undefined ? { thumbnailMime: options.thumbnailMime } : {}),
    }
    let message: FileMessage | ImageMessage
    if ((options.type ?? 'file') === 'file') message = { type: 'file', ...base }
    else {
      const detected =
        options.width === undefined || options.height === undefined ? await this.dimensionsOf(mediaId) : undefined
      const width = options.width ?? detected?.width
      const height = options.height ?? detected?.height
      if (width === undefined || height === undefined) {
        throw new FerryError('invalid-argument', 'the image size is unknown here: pass width and height')
      }
      message = {
        type: 'image',
        ...base,
        width,
        height,
        ...(options.thumbnailWidth !== undefined ? { thumbnailWidth: options.thumbnailWidth } : {}),
        ...(options.thumbnailHeight !== undefined ? { thumbnailHeight: options.thumbnailHeight } : {}),
      }
    }
    const check = checkMessage(message)
    if (!check.ok) throw new FerryError(check.code, check.reason)
    return message
  }

  async list(): Promise<CachedMedia[]> {
    return this.loggedIn().cache.list()
  }

  async delete(mediaId: string): Promise<boolean> {
    return this.loggedIn().cache.delete(mediaId)
  }

  /** A frame whose task id is a media request's. */
  onFrame(link: PeerLink, frame: Frame): void {
    this.peers.onFrame(link, frame)
  }

  shutdown(code: FerryErrorCode, message: string): void {
    this.self = undefined
    this.server = undefined
    this.tasks.abortAll(new FerryError(code, message))
    this.peers.closeAll(code, message)
  }

  private loggedIn(): { cache: MediaCache; self: string } {
    if (!this.cache || !this.self) throw new FerryError('not-logged-in', 'call connect() first')
    return { cache: this.cache, self: this.self }
  }

  private async dimensionsOf(mediaId: string): Promise<{ width: number; height: number } | undefined> {
    const cache = this.cache
    if (!cache || !(await cache.get(mediaId))) return undefined
    const source = await cache.open(mediaId)
    try {
      const header = new Uint8Array(Math.min(IMAGE_HEADER_BYTES, source.size))
      await source.readInto(header, 0)
      return imageDimensions(header)
    } finally {
      await source.close().catch(() => {})
    }
  }
}
