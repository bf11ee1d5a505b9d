import { type MediaUploadRequest, mediaInfoError } from '@ferry/protocol'
import { MediaStoreError } from './media-refusal.js'

/** Stand in for the ids `mediaInfoError` checks too; the store checks the real ones itself. */
const PLACEHOLDER_IDS = { mediaId: 'A'.repeat(32), uploader: 'u', expiresAt: 0 }

/**
 * Checks an upload request off the network: a positive size within `maxBytes`, a file name and mime
 * within the protocol's limits, a lowercase hex SHA-256. Returns only the known fields, or a
 * `MediaStoreError` (`too-large` or `bad-request`). Never throws.
 */
export function checkUploadRequest(value: unknown, maxBytes: number): MediaUploadRequest | MediaStoreError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new MediaStoreError('bad-request', 'the upload request must be a JSON object')
  }
  const { size, fileName, mime, sha256 } = value as Record<string, unknown>
  if (typeof size === 'number' && Number.isSafeInteger(size) && size > maxBytes) {
    return new MediaStoreError('too-large', `${size} bytes is over this server's limit of ${maxBytes}`)
  }
  const reason = mediaInfoError({ ...PLACEHOLDER_IDS, fileName, size, mime, sha256 })
  if (reason !== undefined) return new MediaStoreError('bad-request', `upload request: ${reason}`)
  return { size, fileName, mime, sha256 } as MediaUploadRequest
}
