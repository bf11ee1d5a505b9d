import {
  checkMessage,
  FerryError,
  type FileMessage,
  type ImageMessage,
  MEDIA_PIECE_BYTES,
  type MediaInfo,
  type MediaMessage,
} from '@ferry/protocol'
import { toHex } from '../hex.js'
import type { FileInput, FileSource, Platform } from '../types.js'
import { checkAborted } from './abort.js'
import { IMAGE_HEADER_BYTES, imageDimensions } from './image-info.js'
import type { MediaCache } from './media-cache.js'
import type { TaskContext } from './media-tasks.js'
import type { ImageUploadOptions } from './media-types.js'
import { deleteFromServer, type ServerStore, uploadToServer } from './server-media.js'

export interface UploadJob {
  type: 'file' | 'image'
  input: FileInput
  options: ImageUploadOptions
  mediaId: string
  uploader: string
  platform: Platform
  cache: MediaCache
  /** The server store, when the server has one; the media then stays there until `expiresAt`. */
  server: ServerStore | undefined
  /** Largest media this client uploads. */
  maxBytes: number
}

/**
 * Uploading: the content is hashed (and, for an image, its size read from its header), copied into the
 * local cache under the new media id, then published to the server store. Peers fetch it from the
 * cache while the uploader is online; the server serves it after. A failed or cancelled upload removes
 * the cached copy and the server's partial one.
 */
export async function upload(job: UploadJob, context: TaskContext): Promise<MediaMessage> {
  const { options, cache } = job
  const source = await job.platform.openFile(job.input, options.fileName, options.mime)
  let cached = false
  let published = false
  try {
    if (source.size === 0) throw new FerryError('invalid-argument', 'media cannot be empty')
    if (source.size > job.maxBytes) {
      throw new FerryError('file-too-large', `${source.size} bytes, limit ${job.maxBytes}`)
    }
    const draft = draftMessage(job, source)
    // Before anything is stored: the message as large as it can get once the upload fills it in.
    const sizeCheck = checkMessage({ ...draft, sha256: '0'.repeat(64), ...largestLaterFields(job) })
    if (!sizeCheck.ok) throw new FerryError(sizeCheck.code, sizeCheck.reason)

    cached = true
    // One pass over the file: hashed, its head kept for an image's size, copied into the cache. Without
    // a server store, that copy is the upload: its progress is the task's.
    const { sha256, header } = await copyToCache(job, draft, source, context, job.server === undefined)
    const message = { ...draft, sha256 } as MediaMessage
    if (message.type === 'image') {
      const detected = imageDimensions(header)
      const width = options.width ?? detected?.width
      const height = options.height ?? detected?.height
      if (width === undefined || height === undefined) {
        throw new FerryError('invalid-argument', 'not an image Ferry can measure: pass width and height')
      }
      message.width = width
      message.height = height
    }
    const info: MediaInfo = mediaInfoOf(message)
    if (job.server) {
      published = true
      const copy = await cache.open(info.mediaId)
      try {
        const state = await uploadToServer(job.server, info, copy, {
          signal: context.signal,
          onProgress: (received) => context.progress(received, info.size),
        })
        message.expiresAt = state.expiresAt ?? 0
      } finally {
        await copy.close().catch(() => {})
      }
      await cache.setExpiry(info.mediaId, message.expiresAt)
    }
    checkAborted(context.signal)
    return message
  } catch (err) {
    if (cached) await cache.delete(job.mediaId).catch(() => false)
    if (published && job.server) await deleteFromServer(job.server, job.mediaId)
    throw err
  } finally {
    await source.close().catch(() => {})
  }
}

/**
 * Fields an upload fills in after its size check (the server store's expiry; an image's size unless
 * given, read from its header), at their largest, so a message that passes the check still fits once
 * complete.
 */
function largestLaterFields(job: UploadJob): { expiresAt: number; width?: number; height?: number } {
  const largest = Number.MAX_SAFE_INTEGER
  if (job.type === 'file') return { expiresAt: largest }
  return { expiresAt: largest, width: job.options.width ?? largest, height: job.options.height ?? largest }
}

/** The message without its digest (still to be computed) or image size (still to be read). */
function draftMessage(job: UploadJob, source: FileSource): Omit<FileMessage, 'sha256'> | Omit<ImageMessage, 'sha256'> {
  const { options } = job
  const base = {
    mediaId: job.mediaId,
    uploader: job.uploader,
    fileName: options.fileName ?? source.name,
    size: source.size,
    mime: options.mime ?? source.mime,
    expiresAt: 0,
    ...(options.text !== undefined ? { text: options.text } : {}),
    ...(options.thumbnail !== undefined ? { thumbnail: options.thumbnail } : {}),
    ...(options.thumbnailMime !== undefined ? { thumbnailMime: options.thumbnailMime } : {}),
  }
  if (job.type === 'file') return { type: 'file', ...base }
  return {
    type: 'image',
    ...base,
    width: options.width ?? 0,
    height: options.height ?? 0,
    ...(options.thumbnailWidth !== undefined ? { thumbnailWidth: options.thumbnailWidth } : {}),
    ...(options.thumbnailHeight !== undefined ? { thumbnailHeight: options.thumbnailHeight } : {}),
  }
}

/** Just the MediaInfo fields of a message or cache entry. */
export function mediaInfoOf(value: MediaInfo): MediaInfo {
  const { mediaId, uploader, fileName, size, mime, sha256, expiresAt } = value
  return { mediaId, uploader, fileName, size, mime, sha256, expiresAt }
}

/**
 * Copies the source into a new cache entry, in fresh buffers (a cache may keep them until it flushes),
 * hashing it on the way; resolves with its SHA-256 and its first IMAGE_HEADER_BYTES.
 */
async function copyToCache(
  job: UploadJob,
  draft: Omit<MediaMessage, 'sha256'>,
  source: FileSource,
  context: TaskContext,
  reportProgress: boolean,
): Promise<{ sha256: string; header: Uint8Array }> {
  const { mediaId, uploader, fileName, size, mime, expiresAt } = draft
  const hasher = await job.platform.createHasher()
  const header = new Uint8Array(Math.min(IMAGE_HEADER_BYTES, size))
  const writer = await job.cache.create({ mediaId, uploader, fileName, size, mime, expiresAt })
  try {
    for (let at = 0; at < size; ) {
      checkAborted(context.signal)
      const piece = new Uint8Array(Math.min(MEDIA_PIECE_BYTES, size - at))
      await readFully(source, piece, at)
      hasher.update(piece)
      if (at < header.length) header.set(piece.subarray(0, header.length - at), at)
      await writer.write(piece)
      at += piece.length
      context.progress(reportProgress ? at : 0, size)
    }
    const sha256 = toHex(hasher.digest())
    await writer.finish(sha256)
    return { sha256, header }
  } catch (err) {
    await writer.abort().catch(() => {})
    throw err
  }
}

async function readFully(source: FileSource, target: Uint8Array, position: number): Promise<void> {
  const read = await source.readInto(target, position)
  if (read !== target.length) {
    throw new FerryError('file-read-error', `read ${read} of ${target.length} bytes at ${position}: the file changed`)
  }
}
