import type { FerryError, FileMessage, ImageMessage, MediaMessage } from '@ferry/protocol'
import type { ReceivedFile } from '../types.js'

/** Options of `createFileMessage`: the upload, and the message it yields. */
export interface UploadOptions {
  /** Name in the message. Default: the file's own name. */
  fileName?: string
  /** Default: the Blob's type, else from the name. */
  mime?: string
  /** Caption carried with the message. */
  text?: string
  /** A small preview (see `createThumbnail` in the browser). Counts toward MAX_MESSAGE_BYTES, with the rest of the encoded message. */
  thumbnail?: Uint8Array
  thumbnailMime?: string
  /** Aborting it cancels the upload, like `cancelMedia`. */
  signal?: AbortSignal
  /** Handed back in this task's events. */
  cookie?: unknown
}

/** Options of `createImageMessage`. Width and height are detected from the image unless given. */
export interface ImageUploadOptions extends UploadOptions {
  width?: number
  height?: number
  thumbnailWidth?: number
  thumbnailHeight?: number
}

/** Options of `downloadMedia`. */
export interface DownloadOptions {
  /** `memory` (default) resolves with the bytes; `file` with a file (Node: a path; browser: a Blob). */
  to?: 'memory' | 'file'
  /** Node, with `to: 'file'`: where to write it. Default: a free name in the download directory. */
  path?: string
  signal?: AbortSignal
  cookie?: unknown
}

/** Where a download was served from. */
export type MediaSourceKind = 'cache' | 'peer' | 'server'

export interface DownloadResult {
  mediaId: string
  source: MediaSourceKind
  /** With source `peer`: the user it came from (the uploader, or another holder). */
  peer?: string
  /** With `to: 'memory'`. */
  data?: Uint8Array
  /** With `to: 'file'`. */
  file?: ReceivedFile
}

export type MediaDirection = 'upload' | 'download'

/** A running upload or download. `done` resolves with its result or rejects with its `FerryError`. */
export interface MediaTask<T> {
  readonly id: string
  readonly direction: MediaDirection
  /** The media id (an upload's new id is known at once). */
  readonly mediaId: string
  readonly cookie: unknown
  readonly done: Promise<T>
}

export type UploadTask<M extends MediaMessage = FileMessage | ImageMessage> = MediaTask<M>
export type DownloadTask = MediaTask<DownloadResult>

export type MediaEvents = {
  /** An upload or download moved: `transferred` of `total` bytes. At least every 1 % or 250 ms, and at the total. */
  'media-progress': {
    taskId: string
    direction: MediaDirection
    mediaId: string
    transferred: number
    total: number
    cookie: unknown
  }
  /** An upload or download ended; `error` is absent on success. */
  'media-result': {
    taskId: string
    direction: MediaDirection
    mediaId: string
    cookie: unknown
    error?: FerryError
    /** Downloads: where it came from. */
    source?: MediaSourceKind
  }
}
