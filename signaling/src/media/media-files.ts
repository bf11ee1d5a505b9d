import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { copyFile, open, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MEDIA_ID_PATTERN } from '@ferry/protocol'
import { LOCK_SUFFIX } from './media-lock.js'
import { type MediaRecord, parseMediaRecord } from './media-record.js'

const DATA = '.data'
const RECORD = '.json'
/** A record being written, under the media's lock: renamed over the record once whole and on disk. */
const RECORD_DRAFT = '.json.draft'
/** The data being copied for a takeover, under the media's lock: renamed over the data once whole. */
const DATA_DRAFT = '.data.draft'
/** The files the media's lock guards; a holder of the lock may remove all of them. */
const LOCKED_SUFFIXES = [RECORD, DATA, RECORD_DRAFT, DATA_DRAFT] as const
/** A put's body as it arrives, written outside the lock: `<id>.put.<token>.tmp`. */
const PUT_DRAFT = /^\.put\.[A-Za-z0-9_-]{1,64}\.tmp$/
/** Characters of a media id (MEDIA_ID_PATTERN is 32 base64url). */
const MEDIA_ID_CHARS = 32

/**
 * The store's directory: `<id>.data` (the bytes received so far) and `<id>.json` (its `MediaRecord`) per
 * media, `<id>.lock` while a node holds its lock, drafts of each while they are written. Only ids
 * matching MEDIA_ID_PATTERN (base64url, no dots or slashes) ever become a path, so no request can name
 * a file outside the directory, and files of any other name are left alone.
 *
 * Everything written is on disk before it counts: a record is written to a draft, fsynced, renamed
 * over the old one and the directory fsynced, so a crash (even `kill -9` or a power cut) leaves the
 * old record or the new one, never half of one.
 */
export class MediaFiles {
  constructor(readonly dir: string) {}

  dataPath(mediaId: string): string {
    return this.path(mediaId, DATA)
  }

  /** The record, or undefined when there is none or it does not parse. */
  async readRecord(mediaId: string): Promise<MediaRecord | undefined> {
    let json: string
    try {
      json = await readFile(this.path(mediaId, RECORD), 'utf8')
    } catch (error) {
      if (isMissing(error)) return undefined
      throw error
    }
    return parseMediaRecord(json, mediaId)
  }

  async writeRecord(record: MediaRecord): Promise<void> {
    const draft = this.path(record.mediaId, RECORD_DRAFT)
    const handle = await open(draft, 'w')
    try {
      await handle.writeFile(JSON.stringify(record))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(draft, this.path(record.mediaId, RECORD))
    await this.syncDir()
  }

  /** An empty data file, replacing any left over (a fresh file: a writer still holding the old one writes nowhere). */
  async createData(mediaId: string): Promise<void> {
    const draft = this.path(mediaId, DATA_DRAFT)
    await writeFile(draft, new Uint8Array(0))
    await rename(draft, this.dataPath(mediaId))
  }

  /** Cuts the data back to `length` bytes: what a failed append wrote past the recorded `received`. */
  async truncateData(mediaId: string, length: number): Promise<void> {
    try {
      await truncate(this.dataPath(mediaId), length)
    } catch (error) {
      if (!isMissing(error)) throw error
    }
  }

  /** Whether the data file is there. */
  async hasData(mediaId: string): Promise<boolean> {
    return stat(this.dataPath(mediaId)).then(
      () => true,
      (error: unknown) => {
        if (isMissing(error)) return false
        throw error
      },
    )
  }

  /** Puts the data's bytes on disk, so the `received` recorded next is what a crash leaves. */
  async syncData(mediaId: string): Promise<void> {
    const handle = await open(this.dataPath(mediaId), 'r+')
    try {
      await handle.datasync()
    } finally {
      await handle.close()
    }
  }

  /**
   * Replaces the data with a copy of its first `length` bytes, in a new file: an append that still
   * writes to the old one (on another node, or a process that stalled) from then on writes to a file no
   * name points to. Resolves with the bytes the copy holds, fewer than `length` when the data is shorter.
   */
  async replaceData(mediaId: string, length: number): Promise<number> {
    const draft = this.path(mediaId, DATA_DRAFT)
    try {
      await copyFile(this.dataPath(mediaId), draft)
    } catch (error) {
      if (!isMissing(error)) throw error
      await writeFile(draft, new Uint8Array(0))
    }
    const held = Math.min(length, (await stat(draft)).size)
    await truncate(draft, held)
    const handle = await open(draft, 'r+')
    try {
      await handle.datasync()
    } finally {
      await handle.close()
    }
    await rename(draft, this.dataPath(mediaId))
    return held
  }

  /** A fresh path for a put's body, written outside the lock and adopted by `adoptPut`. */
  putPath(mediaId: string): string {
    return this.path(mediaId, `.put.${randomBytes(12).toString('base64url')}.tmp`)
  }

  /** Makes a put's body the media's data, on disk. */
  async adoptPut(mediaId: string, path: string): Promise<void> {
    const handle = await open(path, 'r+')
    try {
      await handle.datasync()
    } finally {
      await handle.close()
    }
    await rename(path, this.dataPath(mediaId))
  }

  /**
   * Every file of the media but puts still being written, the record first: a crash midway leaves
   * files with no record, which the sweep drops. Downloads already running keep their open file.
   */
  async remove(mediaId: string): Promise<void> {
    for (const suffix of LOCKED_SUFFIXES) await rm(this.path(mediaId, suffix), { force: true })
  }

  /** The drafts of the media's record and data; only for a holder of its lock, as no draft is then being written. */
  async removeDrafts(mediaId: string): Promise<void> {
    for (const suffix of [RECORD_DRAFT, DATA_DRAFT]) await rm(this.path(mediaId, suffix), { force: true })
  }

  /** Drops the put drafts of a media not written to since `before` (ms since the epoch): their put died. */
  async removeStalePuts(mediaId: string, suffixes: string[], before: number): Promise<void> {
    for (const suffix of suffixes) {
      if (!PUT_DRAFT.test(suffix)) continue
      const path = this.path(mediaId, suffix)
      const since = await stat(path).then(
        (s) => s.mtimeMs,
        () => undefined,
      )
      if (since !== undefined && since < before) await rm(path, { force: true })
    }
  }

  /** Ids with at least one file (or a lock) in the directory, each with the suffixes of its files. */
  async ids(): Promise<Map<string, string[]>> {
    const ids = new Map<string, string[]>()
    for (const name of await readdir(this.dir)) {
      const id = name.slice(0, MEDIA_ID_CHARS)
      const suffix = name.slice(MEDIA_ID_CHARS)
      const known =
        (LOCKED_SUFFIXES as readonly string[]).includes(suffix) || suffix === LOCK_SUFFIX || PUT_DRAFT.test(suffix)
      if (!known || !MEDIA_ID_PATTERN.test(id)) continue
      const suffixes = ids.get(id) ?? []
      suffixes.push(suffix)
      ids.set(id, suffixes)
    }
    return ids
  }

  /** Lowercase hex SHA-256 of the data as it is on disk, read as a stream. */
  async sha256(mediaId: string): Promise<string> {
    const hash = createHash('sha256')
    for await (const chunk of createReadStream(this.dataPath(mediaId))) hash.update(chunk as Buffer)
    return hash.digest('hex')
  }

  /** Makes renames in the directory survive a power cut; where a directory cannot be fsynced, a no-op. */
  private async syncDir(): Promise<void> {
    const handle = await open(this.dir, 'r').catch(() => undefined)
    if (!handle) return
    try {
      await handle.sync().catch(() => undefined)
    } finally {
      await handle.close()
    }
  }

  private path(mediaId: string, suffix: string): string {
    if (!MEDIA_ID_PATTERN.test(mediaId)) throw new Error(`not a media id: ${JSON.stringify(mediaId)}`)
    return join(this.dir, mediaId + suffix)
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
