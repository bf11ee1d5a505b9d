import { access, copyFile, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type FerryError, type FerryErrorCode, MEDIA_ID_PATTERN } from '@ferry/protocol'
import type { CachedMedia, MediaCache, MediaDraft, MediaWriter } from '../media/media-cache.js'
import {
  byRecentUse,
  cacheLimit,
  checkExpiry,
  checkWritten,
  finishedEntry,
  isCachedMedia,
  isExpired,
  lruVictims,
  mediaNotFound,
  newEntry,
} from '../media/media-cache-policy.js'
import type { FileSource, ReceivedFile } from '../types.js'
import { moveToFreeName, safeFileName } from './file-names.js'
import { fsError, isMissing } from './fs-errors.js'
import { idFromSegment, idSegment } from './id-paths.js'
import { pathSource } from './path-source.js'
import { isTempName, tempFile, tempPath } from './temp-file.js'

export interface MediaDirCacheOptions {
  /** The user's cache directory, created on the first write. */
  dir: string
  /** Where `export` puts a file when it is given no path. */
  downloadDir: string
  /** Most bytes kept: least recently used entries go first. Default DEFAULT_MEDIA_CACHE_BYTES. */
  maxBytes?: number
  /** The clock for `cachedAt`, `usedAt` and expiry (ms since the epoch). Default `Date.now`. */
  now?: () => number
}

const DATA_SUFFIX = '.data'
const META_SUFFIX = '.json'

/**
 * A temporary file untouched this long was left by a process that died mid-write: a live download
 * writes at least every MEDIA_IDLE_TIMEOUT_MS (2 minutes) or fails and removes its file.
 */
const STALE_TEMP_MS = 60 * 60 * 1000

/**
 * A media cache in a directory: `<id>.data` holds the content and `<id>.json` its CachedMedia, where
 * `<id>` is the media id as a path segment (`idSegment`: media ids differ by case, file systems may not). An entry is written to a hidden temporary file and renamed into place when finished,
 * then its metadata is written (itself through a temporary file), so a half-written entry is never
 * seen. Metadata changes and removals run one at a time, so a `get` never revives a deleted entry.
 */
export function mediaDirCache(options: MediaDirCacheOptions): MediaCache {
  const { dir, downloadDir } = options
  const maxBytes = cacheLimit(options.maxBytes)
  const now = options.now ?? Date.now
  const dataPath = (mediaId: string) => join(dir, idSegment(mediaId) + DATA_SUFFIX)
  const metaPath = (mediaId: string) => join(dir, idSegment(mediaId) + META_SUFFIX)

  let queue: Promise<unknown> = Promise.resolve()
  function serially<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work)
    queue = run.catch(() => {})
    return run
  }

  /** The entry's record; undefined when there is none, and then an expired or unreadable one is removed. */
  async function read(mediaId: string): Promise<CachedMedia | undefined> {
    // Only a well-formed id is a file name: `../x` or `a/b` would reach outside the directory.
    if (!MEDIA_ID_PATTERN.test(mediaId)) return undefined
    let text: string
    try {
      text = await readFile(metaPath(mediaId), 'utf8')
    } catch (err) {
      if (isMissing(err)) return undefined
      throw fsError('file-read-error', err)
    }
    const media = parseJson(text)
    if (isCachedMedia(media) && media.mediaId === mediaId && !isExpired(media, now())) return media
    await remove(mediaId)
    return undefined
  }

  async function save(media: CachedMedia): Promise<void> {
    const temp = tempPath(dir)
    try {
      await writeFile(temp, JSON.stringify(media), { flag: 'wx' })
      await rename(temp, metaPath(media.mediaId))
    } catch (err) {
      await unlink(temp).catch(() => {})
      throw fsError('file-write-error', err)
    }
  }

  /** Removes an entry's files; true when it had metadata. The metadata goes first: the entry vanishes at once. */
  async function remove(mediaId: string): Promise<boolean> {
    let had = true
    try {
      await unlink(metaPath(mediaId))
    } catch (err) {
      if (!isMissing(err)) throw fsError('file-write-error', err)
      had = false
    }
    await unlink(dataPath(mediaId)).catch((err) => {
      if (!isMissing(err)) throw fsError('file-write-error', err)
    })
    return had
  }

  async function use(mediaId: string): Promise<CachedMedia | undefined> {
    const media = await read(mediaId)
    if (!media) return undefined
    const used = { ...media, usedAt: now() }
    await save(used)
    return used
  }

  /** Every live entry; removes expired ones and temporary files of dead processes on the way. */
  async function entries(): Promise<CachedMedia[]> {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch (err) {
      if (isMissing(err)) return []
      throw fsError('file-read-error', err)
    }
    const found: CachedMedia[] = []
    for (const name of names) {
      const mediaId = name.endsWith(META_SUFFIX) ? idFromSegment(name.slice(0, -META_SUFFIX.length)) : undefined
      if (mediaId !== undefined) {
        const media = await read(mediaId)
        if (media) found.push(media)
      } else if (isTempName(name)) {
        await removeIfStale(join(dir, name))
      }
    }
    return found
  }

  async function evictFor(keep: string): Promise<void> {
    for (const victim of lruVictims(await entries(), maxBytes, keep)) await remove(victim.mediaId)
  }

  /** The error for a failed read or copy of an entry's content: `media-not-found` when it is gone. */
  async function contentError(mediaId: string, code: FerryErrorCode, err: unknown): Promise<FerryError> {
    const gone = await access(dataPath(mediaId)).then(
      () => false,
      (accessErr) => isMissing(accessErr),
    )
    return gone ? mediaNotFound(mediaId) : fsError(code, err)
  }

  async function create(info: MediaDraft): Promise<MediaWriter> {
    const entry = newEntry(info, maxBytes, now())
    const file = await tempFile(dir)
    let finished = false
    return {
      write: (data) => file.write(data),
      async finish(sha256) {
        // Checked before the file is closed, so a finish refused for its digest can be retried.
        const complete = finishedEntry(entry, sha256, now())
        await file.close()
        checkWritten(file.written, info)
        return serially(async () => {
          const media = { ...complete, cachedAt: now(), usedAt: now() }
          try {
            await rename(file.path, dataPath(media.mediaId))
          } catch (err) {
            throw fsError('file-write-error', err)
          }
          await save(media).catch(async (err) => {
            await unlink(dataPath(media.mediaId)).catch(() => {})
            throw err
          })
          finished = true
          // The entry is stored whatever eviction meets: what stays over the limit goes at the next finish.
          await evictFor(media.mediaId).catch(() => {})
          return media
        })
      },
      async abort() {
        if (!finished) await file.discard()
      },
    }
  }

  async function exportMedia(mediaId: string, path?: string): Promise<ReceivedFile> {
    const media = await serially(() => use(mediaId))
    if (!media) throw mediaNotFound(mediaId)
    const file = { name: media.fileName, size: media.size, mime: media.mime, sha256: media.sha256 }
    if (path !== undefined) {
      try {
        await copyFile(dataPath(mediaId), path)
      } catch (err) {
        throw await contentError(mediaId, 'file-write-error', err)
      }
      return { ...file, path }
    }
    const temp = tempPath(downloadDir)
    try {
      await mkdir(downloadDir, { recursive: true })
      await copyFile(dataPath(mediaId), temp)
      return { ...file, path: await moveToFreeName(downloadDir, safeFileName(media.fileName), temp) }
    } catch (err) {
      await unlink(temp).catch(() => {})
      throw await contentError(mediaId, 'file-write-error', err)
    }
  }

  return {
    async get(mediaId) {
      return serially(() => use(mediaId))
    },
    async open(mediaId): Promise<FileSource> {
      const media = await serially(() => use(mediaId))
      if (!media) throw mediaNotFound(mediaId)
      try {
        return await pathSource(dataPath(mediaId), media.fileName, media.mime)
      } catch (err) {
        throw await contentError(mediaId, 'file-read-error', err)
      }
    },
    create,
    async setExpiry(mediaId, expiresAt) {
      checkExpiry(expiresAt)
      await serially(async () => {
        const media = await read(mediaId)
        if (media) await save({ ...media, expiresAt })
      })
    },
    export: exportMedia,
    async list() {
      return (await serially(entries)).sort(byRecentUse)
    },
    async delete(mediaId) {
      return serially(async () => (await read(mediaId)) !== undefined && (await remove(mediaId)))
    },
  }
}

async function removeIfStale(path: string): Promise<void> {
  try {
    if ((await stat(path)).mtimeMs < Date.now() - STALE_TEMP_MS) await unlink(path)
  } catch {
    // Gone already, or finished and renamed meanwhile.
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
