import { FerryError, type FerryErrorCode } from '@ferry/protocol'

/**
 * Why the media store refused a request. Finer than `FerryErrorCode` (a wrong offset and a taken id are
 * both `invalid-argument`) so a transport can answer each its own way, e.g. its own HTTP status.
 */
export type MediaRefusal =
  /** A malformed id, offset or upload request. */
  | 'bad-request'
  /** No such media: never uploaded, expired, deleted, or not complete yet (for a download). */
  | 'not-found'
  /** The id belongs to another upload: another uploader's, or one with other size, hash, name or mime. */
  | 'id-taken'
  /** Only the uploader may delete a media. */
  | 'not-uploader'
  /** An append not at `received`, or while another append to the same media runs. */
  | 'wrong-offset'
  /** The declared size is over the store's `maxBytes`. */
  | 'too-large'
  /** An append carried bytes beyond the declared size; none of it was kept. */
  | 'past-size'
  /** A download range that starts at or beyond the end of the media. */
  | 'bad-range'
  /** The content's SHA-256 is not the declared one; the upload was dropped. */
  | 'integrity-mismatch'
  /** The uploader already has MAX_MEDIA_TASKS appends running. */
  | 'too-many-uploads'
  /** The disk is full (or over quota). */
  | 'storage-full'

const CODES = {
  'bad-request': 'invalid-argument',
  'not-found': 'media-not-found',
  'id-taken': 'invalid-argument',
  'not-uploader': 'invalid-target',
  'wrong-offset': 'invalid-argument',
  'too-large': 'file-too-large',
  'past-size': 'file-too-large',
  'bad-range': 'invalid-argument',
  'integrity-mismatch': 'integrity-mismatch',
  'too-many-uploads': 'rate-limited',
  'storage-full': 'storage-full',
} as const satisfies Record<MediaRefusal, FerryErrorCode>

/** A refused media store request: `code` for clients, `reason` for the transport. */
export class MediaStoreError extends FerryError {
  readonly reason: MediaRefusal
  /** On `wrong-offset`: the bytes the store holds, where the upload resumes. */
  readonly received: number | undefined

  constructor(reason: MediaRefusal, message: string, received?: number) {
    super(CODES[reason], message)
    this.name = 'MediaStoreError'
    this.reason = reason
    this.received = received
  }
}

export function isMediaStoreError(error: unknown): error is MediaStoreError {
  return error instanceof MediaStoreError
}
