import { FerryError, type MediaInfo, mediaInfoError } from '@ferry/protocol'
import type { CachedMedia, MediaDraft } from './media-cache.js'

/** Stands in for a draft's unknown SHA-256 while its other fields are checked. */
const UNKNOWN_SHA256 = '0'.repeat(64)

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * What every MediaCache implementation decides the same way: which infos it takes, when an entry has
 * expired, and which entries eviction drops. A malformed media id is an absent one (`get` finds
 * nothing, `open` and `export` reject with `media-not-found`), and `create` refuses it with
 * `invalid-argument`; where ids name files, only well-formed ones are looked up.
 */

/**
 * Default most bytes one user's media cache keeps. 2 GiB holds 32 media of the largest size a server
 * store takes by default (64 MiB) or thousands of photos, and is small next to a disk or to the share
 * of one a browser grants an origin (which the browser cache checks as well).
 */
export const DEFAULT_MEDIA_CACHE_BYTES = 2 * 1024 * 1024 * 1024

/** Past its server expiry: counts as absent. An `expiresAt` of 0 never expires. */
export function isExpired(media: Pick<MediaInfo, 'expiresAt'>, now: number): boolean {
  return media.expiresAt !== 0 && media.expiresAt <= now
}

export function mediaNotFound(mediaId: string): FerryError {
  return new FerryError('media-not-found', `no media ${mediaId} in the local cache`)
}

/** A cache's `maxBytes` option, checked: `invalid-argument` unless a positive whole number. */
export function cacheLimit(maxBytes: number | undefined): number {
  const limit = maxBytes ?? DEFAULT_MEDIA_CACHE_BYTES
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new FerryError('invalid-argument', `a media cache's maxBytes is a positive integer, not ${limit}`)
  }
  return limit
}

/**
 * A new entry's record, once `create` may start it: the info's own fields (not a message's text or
 * thumbnail), stored and used `now`. `invalid-argument` for a malformed info, `storage-full` for one
 * larger than the whole cache.
 */
export function newEntry(info: MediaDraft, maxBytes: number, now: number): CachedMedia {
  const error = mediaInfoError({ ...info, sha256: info.sha256 ?? UNKNOWN_SHA256 })
  if (error) throw new FerryError('invalid-argument', `cannot cache this media: ${error}`)
  if (info.size > maxBytes) {
    throw new FerryError('storage-full', `${info.size} bytes do not fit a media cache of ${maxBytes}`)
  }
  const { mediaId, uploader, fileName, size, mime, sha256 = '', expiresAt } = info
  return { mediaId, uploader, fileName, size, mime, sha256, expiresAt, cachedAt: now, usedAt: now }
}

/** The entry as `finish` stores it, stored and used `now`, with the digest `finish` got, if any. */
export function finishedEntry(entry: CachedMedia, sha256: string | undefined, now: number): CachedMedia {
  const digest = sha256 ?? entry.sha256
  if (!SHA256_HEX.test(digest)) {
    throw new FerryError('invalid-argument', `media ${entry.mediaId} needs its SHA-256 (lowercase hex) to finish`)
  }
  return { ...entry, sha256: digest, cachedAt: now, usedAt: now }
}

/** True when a stored record is a well-formed entry (a file on disk may be cut short or edited). */
export function isCachedMedia(value: unknown): value is CachedMedia {
  if (mediaInfoError(value) !== undefined) return false
  const { cachedAt, usedAt } = value as CachedMedia
  return Number.isSafeInteger(cachedAt) && Number.isSafeInteger(usedAt)
}

/** `setExpiry`'s argument, checked like a MediaInfo's. */
export function checkExpiry(expiresAt: number): void {
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) {
    throw new FerryError('invalid-argument', `expiresAt is 0 or a time in ms since the epoch, not ${expiresAt}`)
  }
}

/** A writer's `finish` when it got other than `size` bytes: the entry would lie about its content. */
export function checkWritten(written: number, info: Pick<MediaInfo, 'mediaId' | 'size'>): void {
  if (written !== info.size) {
    throw new FerryError('file-write-error', `media ${info.mediaId} got ${written} of its ${info.size} bytes`)
  }
}

/** Most recently used first, as `list` returns them. */
export function byRecentUse(a: CachedMedia, b: CachedMedia): number {
  return b.usedAt - a.usedAt || b.cachedAt - a.cachedAt
}

/**
 * The entries to drop, least recently used first, so that the rest take at most `maxBytes`; never
 * `keep` (the entry just stored), even when it alone is over.
 */
export function lruVictims<T extends CachedMedia>(entries: readonly T[], maxBytes: number, keep?: string): T[] {
  let total = entries.reduce((sum, entry) => sum + entry.size, 0)
  const victims: T[] = []
  for (const entry of [...entries].sort(byRecentUse).reverse()) {
    if (total <= maxBytes) break
    if (entry.mediaId === keep) continue
    victims.push(entry)
    total -= entry.size
  }
  return victims
}
