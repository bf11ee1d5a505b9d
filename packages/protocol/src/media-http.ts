import type { FerryErrorCode } from './errors.js'
import type { MediaInfo } from './messages.js'

/**
 * The signaling server's media store, over HTTP on the same port as Socket.IO. Every request carries
 * `Authorization: Bearer <key>`, the key from `session:ready`'s `media` (valid while that login's
 * session is connected), so only logged-in users upload or download, and the server knows who.
 *
 *   POST   /media/:id            JSON MediaUploadRequest → MediaUploadState
 *          Starts an upload, or resumes the caller's own unfinished one (`received` says from where).
 *   PUT    /media/:id/content?offset=N   raw bytes → MediaUploadState
 *          Appends at N, which must equal `received` (else 409 with the state). When the last byte is
 *          in, the server checks the SHA-256 and keeps the media until `expiresAt`.
 *   GET    /media/:id/info       → MediaInfo of a complete, unexpired media
 *   GET    /media/:id            → the bytes; `Range: bytes=N-` resumes from N (206)
 *   DELETE /media/:id            uploader only → 204 (an upload cancelled, or media withdrawn)
 *
 * Errors are JSON MediaHttpError with the status below; the body's `code` is what clients report.
 *   400 invalid-argument, 401 not-logged-in, 403 invalid-target (not the uploader), 404 media-not-found,
 *   409 invalid-argument (wrong offset, or the id is taken), 413 file-too-large, 422 integrity-mismatch,
 *   429 rate-limited, 507 storage-full.
 */

/** Path prefix of every media route. */
export const MEDIA_HTTP_PREFIX = '/media/'

/** What `session:ready` tells a client about the server's media store; absent when the store is off. */
export interface MediaStoreOffer {
  /** Bearer key for the media routes, bound to this session. */
  key: string
  /** Largest media the store takes, in bytes. */
  maxBytes: number
  /** How long the store keeps a completed media, in ms. */
  retentionMs: number
}

export interface MediaUploadRequest {
  size: number
  fileName: string
  mime: string
  /** Lowercase hex SHA-256 of the whole content; the server checks it when the last byte is in. */
  sha256: string
}

export interface MediaUploadState {
  /** Bytes the server holds so far. */
  received: number
  /** True once every byte is in and the SHA-256 matched. */
  complete: boolean
  /** When the server drops it (ms since the epoch); present once complete. */
  expiresAt?: number
}

export interface MediaHttpError {
  code: FerryErrorCode
  message: string
  /** 409 on a wrong offset: where the upload stands. */
  received?: number
}

export type { MediaInfo }
