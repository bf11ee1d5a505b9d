import { MEDIA_ID_PATTERN, type MediaInfo, type MediaUploadState, USER_ID_PATTERN } from '@ferry/protocol'

/**
 * What the store keeps about one media, as the JSON file next to its data. `expiresAt` is when the
 * sweep drops it: `retentionMs` after completion for a complete media, after the last byte that
 * arrived for a partial upload (so an upload in progress is never swept, an abandoned one is).
 */
export interface MediaRecord {
  mediaId: string
  uploader: string
  fileName: string
  size: number
  mime: string
  /** Lowercase hex SHA-256 the uploader declared; checked against the data when the last byte is in. */
  sha256: string
  /** Bytes of data held; the data file is exactly this long. */
  received: number
  complete: boolean
  /** ms since the epoch. */
  createdAt: number
  /** ms since the epoch. */
  expiresAt: number
  /** Random, new with each `start` or put: tells this upload from an earlier one under the same id. */
  generation: string
  /**
   * The token of the append writing the data right now, on whichever node; absent when none is. A
   * newer append that finds it set takes the upload over (see `MediaStore.append`), and the older one
   * then finds its token gone when it tries to record what it wrote.
   */
  writer?: string
}

/** A `generation` or `writer` token: base64url. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

const SHA256_HEX = /^[0-9a-f]{64}$/

/** A record read from disk, checked field by field; undefined for anything else (a torn or foreign file). */
export function parseMediaRecord(json: string, mediaId: string): MediaRecord | undefined {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const r = value as Record<string, unknown>
  const ok =
    r.mediaId === mediaId &&
    MEDIA_ID_PATTERN.test(mediaId) &&
    typeof r.uploader === 'string' &&
    USER_ID_PATTERN.test(r.uploader) &&
    typeof r.fileName === 'string' &&
    isCount(r.size) &&
    r.size > 0 &&
    typeof r.mime === 'string' &&
    typeof r.sha256 === 'string' &&
    SHA256_HEX.test(r.sha256) &&
    isCount(r.received) &&
    r.received <= r.size &&
    typeof r.complete === 'boolean' &&
    isCount(r.createdAt) &&
    isCount(r.expiresAt) &&
    (r.generation === undefined || (typeof r.generation === 'string' && TOKEN_PATTERN.test(r.generation))) &&
    (r.writer === undefined || (typeof r.writer === 'string' && TOKEN_PATTERN.test(r.writer)))
  if (!ok) return undefined
  const record: MediaRecord = {
    mediaId,
    uploader: r.uploader as string,
    fileName: r.fileName as string,
    size: r.size as number,
    mime: r.mime as string,
    sha256: r.sha256 as string,
    received: r.received as number,
    complete: r.complete as boolean,
    createdAt: r.createdAt as number,
    expiresAt: r.expiresAt as number,
    // Records from before generations: the creation time told uploads apart.
    generation: (r.generation as string | undefined) ?? `t${r.createdAt as number}`,
  }
  if (r.writer !== undefined) record.writer = r.writer as string
  return record
}

/** Where an upload stands, as the uploader is told. */
export function uploadState(record: MediaRecord): MediaUploadState {
  return record.complete
    ? { received: record.received, complete: true, expiresAt: record.expiresAt }
    : { received: record.received, complete: false }
}

/** What a media id stands for, as anyone holding the id is told. */
export function mediaInfo(record: MediaRecord): MediaInfo {
  const { mediaId, uploader, fileName, size, mime, sha256, expiresAt } = record
  return { mediaId, uploader, fileName, size, mime, sha256, expiresAt }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
