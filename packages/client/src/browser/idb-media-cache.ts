import { FerryError } from '@ferry/protocol'
import type { UseStore } from 'idb-keyval'
import type { CachedMedia, MediaCache, MediaDraft, MediaWriter } from '../media/media-cache.js'
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
} from '../media/media-cache-policy.js'
import { blobSource } from './blob-source.js'
import {
  guard,
  type IsAlive,
  isAbandoned,
  kindRange,
  partRange,
  partsBlob,
  partWriter,
  randomRecordId,
  readAll,
  recordsDb,
  storageShortfall,
  updateRecord,
  writeRecords,
} from './idb-records.js'

/**
 * Each user's media cache is a database of its own, `ferry-media-<userId>` (user ids are safe in
 * names): one user's entries, limit and eviction never touch another's, and removing a user's cache
 * is dropping one database. Its records:
 *   ['meta', mediaId]     the complete entry: CachedMedia plus the id of its content
 *   ['part', entry, seq]  the content, in chunk records
 *   ['partial', entry]    content being written, and the page writing it (swept when that page is gone)
 * Content goes under a fresh id and the meta record switches to it in one transaction, so an entry
 * is never seen half-written and a second download of the same media replaces the first whole.
 */
export const MEDIA_DB_PREFIX = 'ferry-media-'

export interface IdbMediaCacheOptions {
  userId: string
  /** This page's Web Lock name (see `holdPageLock`), recorded with entries being written. */
  owner: Promise<string>
  /** Most bytes kept: least recently used entries go first. Default DEFAULT_MEDIA_CACHE_BYTES. */
  maxBytes?: number
  /** The clock for `cachedAt`, `usedAt` and expiry (ms since the epoch). Default `Date.now`. */
  now?: () => number
}

interface StoredMedia extends CachedMedia {
  /** The id its content records are under. */
  entry: string
}

interface PartialEntry {
  entry: string
  owner: string
  createdAt: number
}

const databases = new Map<string, () => UseStore>()
function mediaDb(userId: string): UseStore {
  let db = databases.get(userId)
  if (!db) {
    db = recordsDb(MEDIA_DB_PREFIX + userId)
    databases.set(userId, db)
  }
  return db()
}

function metaKey(mediaId: string): ['meta', string] {
  return ['meta', mediaId]
}

function partialKey(entry: string): ['partial', string] {
  return ['partial', entry]
}

/** Queues the removal of an entry's meta record and content in `store`'s transaction. */
function drop(store: IDBObjectStore, stored: StoredMedia): void {
  store.delete(metaKey(stored.mediaId))
  store.delete(partRange(stored.entry))
}

function withoutEntry(stored: StoredMedia): CachedMedia {
  const { entry: _, ...media } = stored
  return media
}

/** A user's media cache in IndexedDB; it also makes room within the origin's storage estimate. */
export function idbMediaCache(options: IdbMediaCacheOptions): MediaCache {
  const maxBytes = cacheLimit(options.maxBytes)
  const now = options.now ?? Date.now
  const db = () => mediaDb(options.userId)

  /** The entry, marked used in the same transaction that read it; an expired one is removed instead. */
  async function use(mediaId: string): Promise<StoredMedia | undefined> {
    return guard(
      updateRecord<StoredMedia, StoredMedia | undefined>(db(), metaKey(mediaId), (stored, store) => {
        if (!stored) return undefined
        if (isExpired(stored, now())) {
          drop(store, stored)
          return undefined
        }
        const used = { ...stored, usedAt: now() }
        store.put(used, metaKey(mediaId))
        return used
      }),
    )
  }

  /** Removes an entry's content, and its meta record unless that moved on to newer content meanwhile. */
  function remove(stored: StoredMedia): Promise<void> {
    return guard(
      updateRecord<StoredMedia, void>(db(), metaKey(stored.mediaId), (current, store) => {
        if (current?.entry === stored.entry) store.delete(metaKey(stored.mediaId))
        store.delete(partRange(stored.entry))
      }),
    )
  }

  /** Every live entry; expired ones are removed on the way. */
  async function entries(): Promise<StoredMedia[]> {
    const live: StoredMedia[] = []
    const time = now()
    for (const stored of await readAll<StoredMedia>(db(), kindRange('meta'))) {
      if (isExpired(stored, time)) await remove(stored)
      else live.push(stored)
    }
    return live
  }

  async function content(stored: StoredMedia): Promise<Blob> {
    const blob = await partsBlob(db(), stored.entry, stored.mime)
    // Removed or replaced between reading the entry and its records.
    if (blob.size !== stored.size) throw mediaNotFound(stored.mediaId)
    return blob
  }

  /** Evicts least recently used entries until the storage estimate has room for `size` bytes. */
  async function makeRoom(size: number): Promise<void> {
    const missing = await storageShortfall(size)
    if (missing === 0) return
    const all = await entries()
    const total = all.reduce((sum, stored) => sum + stored.size, 0)
    if (total < missing) {
      throw new FerryError('storage-full', `${size} bytes do not fit: ${missing} bytes of storage short`)
    }
    for (const victim of lruVictims(all, total - missing)) await remove(victim)
  }

  async function create(info: MediaDraft): Promise<MediaWriter> {
    const entry = newEntry(info, maxBytes, now())
    await makeRoom(info.size)
    const partial: PartialEntry = { entry: randomRecordId(), owner: await options.owner, createdAt: Date.now() }
    await guard(writeRecords(db(), (store) => store.put(partial, partialKey(partial.entry))))
    const parts = partWriter(db(), partial.entry)
    let state: 'open' | 'finished' | 'aborted' = 'open'
    const closed = () => new FerryError('file-write-error', 'the media entry is closed')
    return {
      async write(data) {
        if (state !== 'open') throw closed()
        await parts.write(data)
      },
      async finish(sha256) {
        if (state !== 'open') throw closed()
        checkWritten(parts.written, info)
        const finished = finishedEntry(entry, sha256, now())
        await parts.flush()
        const stored: StoredMedia = { ...finished, entry: partial.entry }
        await guard(
          updateRecord<StoredMedia, void>(db(), metaKey(stored.mediaId), (old, store) => {
            if (old) store.delete(partRange(old.entry))
            store.put(stored, metaKey(stored.mediaId))
            store.delete(partialKey(partial.entry))
          }),
        )
        state = 'finished'
        // The entry is stored whatever eviction meets: what stays over the limit goes at the next finish.
        await evictFor(stored.mediaId).catch(() => {})
        return withoutEntry(stored)
      },
      async abort() {
        if (state !== 'open') return
        state = 'aborted'
        parts.discard()
        await writeRecords(db(), (store) => {
          store.delete(partRange(partial.entry))
          store.delete(partialKey(partial.entry))
        })
      },
    }
  }

  async function evictFor(keep: string): Promise<void> {
    for (const victim of lruVictims(await entries(), maxBytes, keep)) await remove(victim)
  }

  return {
    async get(mediaId) {
      const stored = await use(mediaId)
      return stored && withoutEntry(stored)
    },
    async open(mediaId) {
      const stored = await use(mediaId)
      if (!stored) throw mediaNotFound(mediaId)
      return blobSource(await content(stored), stored.fileName, stored.mime)
    },
    create,
    async setExpiry(mediaId, expiresAt) {
      checkExpiry(expiresAt)
      await guard(
        updateRecord<StoredMedia, void>(db(), metaKey(mediaId), (stored, store) => {
          if (stored) store.put({ ...stored, expiresAt }, metaKey(mediaId))
        }),
      )
    },
    async export(mediaId) {
      const stored = await use(mediaId)
      if (!stored) throw mediaNotFound(mediaId)
      const blob = await content(stored)
      return { name: stored.fileName, size: stored.size, mime: stored.mime, sha256: stored.sha256, blob }
    },
    async list() {
      return (await entries()).map(withoutEntry).sort(byRecentUse)
    },
    async delete(mediaId) {
      return guard(
        updateRecord<StoredMedia, boolean>(db(), metaKey(mediaId), (stored, store) => {
          if (!stored) return false
          drop(store, stored)
          return !isExpired(stored, now())
        }),
      )
    },
  }
}

/**
 * Removes the content of entries whose writing page is gone (closed or reloaded mid-download) from
 * one user's media cache; resolves with how many. See `sweepPartials` for `isAlive`.
 */
export async function sweepMediaPartials(userId: string, isAlive: IsAlive): Promise<number> {
  const db = mediaDb(userId)
  const now = Date.now()
  const abandoned = (await readAll<PartialEntry>(db, kindRange('partial'))).filter((p) => isAbandoned(p, isAlive, now))
  if (abandoned.length === 0) return 0
  await writeRecords(db, (store) => {
    for (const { entry } of abandoned) {
      store.delete(partRange(entry))
      store.delete(partialKey(entry))
    }
  })
  return abandoned.length
}
