import { FerryError } from '@ferry/protocol'
import { blobSource } from '../browser/blob-source.js'
import type { CachedMedia, MediaCache, MediaDraft, MediaWriter } from './media-cache.js'
import {
  byRecentUse,
  cacheLimit,
  checkExpiry,
  checkWritten,
  finishedEntry,
  isExpired,
  lruVictims,
  mediaNotFound,
  newEntry,
} from './media-cache-policy.js'

export interface MemoryMediaCacheOptions {
  /** Most bytes kept: least recently used entries go first. Default DEFAULT_MEDIA_CACHE_BYTES. */
  maxBytes?: number
  /** The clock for `cachedAt`, `usedAt` and expiry (ms since the epoch). Default `Date.now`. */
  now?: () => number
}

interface Entry {
  media: CachedMedia
  blob: Blob
}

/**
 * A media cache in memory, for where there is no IndexedDB: entries are Blobs and go with the page.
 * Keep `maxBytes` well below the memory a page may use.
 */
export function memoryMediaCache(options: MemoryMediaCacheOptions = {}): MediaCache {
  const maxBytes = cacheLimit(options.maxBytes)
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()

  /** The live entry; an expired one is removed. */
  function live(mediaId: string): Entry | undefined {
    const entry = entries.get(mediaId)
    if (entry && isExpired(entry.media, now())) {
      entries.delete(mediaId)
      return undefined
    }
    return entry
  }

  /** The live entry, marked used. */
  function use(mediaId: string): Entry | undefined {
    const entry = live(mediaId)
    if (entry) entry.media = { ...entry.media, usedAt: now() }
    return entry
  }

  function found(mediaId: string): Entry {
    const entry = use(mediaId)
    if (!entry) throw mediaNotFound(mediaId)
    return entry
  }

  function create(info: MediaDraft): MediaWriter {
    const media = newEntry(info, maxBytes, now())
    let parts: Uint8Array[] = []
    let written = 0
    let state: 'open' | 'finished' | 'aborted' = 'open'
    const closed = () => new FerryError('file-write-error', 'the media entry is closed')
    return {
      async write(data) {
        if (state !== 'open') throw closed()
        parts.push(data)
        written += data.length
      },
      async finish(sha256) {
        if (state !== 'open') throw closed()
        checkWritten(written, info)
        const stored = finishedEntry(media, sha256, now())
        state = 'finished'
        entries.set(stored.mediaId, {
          media: stored,
          blob: new Blob(parts as Uint8Array<ArrayBuffer>[], { type: info.mime }),
        })
        parts = []
        const all = [...entries.values()].map((entry) => entry.media)
        for (const victim of lruVictims(all, maxBytes, stored.mediaId)) entries.delete(victim.mediaId)
        return { ...stored }
      },
      async abort() {
        if (state === 'open') state = 'aborted'
        parts = []
      },
    }
  }

  return {
    async get(mediaId) {
      const entry = use(mediaId)
      return entry && { ...entry.media }
    },
    async open(mediaId) {
      const { media, blob } = found(mediaId)
      return blobSource(blob, media.fileName, media.mime)
    },
    async create(info) {
      return create(info)
    },
    async setExpiry(mediaId, expiresAt) {
      checkExpiry(expiresAt)
      const entry = live(mediaId)
      if (entry) entry.media = { ...entry.media, expiresAt }
    },
    async export(mediaId) {
      const { media, blob } = found(mediaId)
      return { name: media.fileName, size: media.size, mime: media.mime, sha256: media.sha256, blob }
    },
    async list() {
      return [...entries.keys()]
        .flatMap((mediaId) => live(mediaId)?.media ?? [])
        .map((media) => ({ ...media }))
        .sort(byRecentUse)
    },
    async delete(mediaId) {
      return live(mediaId) !== undefined && entries.delete(mediaId)
    },
  }
}
