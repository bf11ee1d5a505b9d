import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { MEDIA_ID_PATTERN } from '@ferry/protocol'
import { type MediaRecord, parseMediaRecord } from './media-record.js'

const DATA = '.data'
const RECORD = '.json'
/** A record being written: renamed over the record once complete, so a crash never leaves half a record. */
const RECORD_DRAFT = '.json.draft'
const SUFFIXES = [DATA, RECORD, RECORD_DRAFT] as const

/**
 * The store's directory: `<id>.data` (the bytes received so far) and `<id>.json` (its `MediaRecord`) per
 * media. Only ids matching MEDIA_ID_PATTERN (base64url, no dots or slashes) ever become a path, so no
 * request can name a file outside the directory, and files of any other name are left alone.
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
    await writeFile(draft, JSON.stringify(record))
    await rename(draft, this.path(record.mediaId, RECORD))
  }

  /** An empty data file, replacing any left over. */
  async createData(mediaId: string): Promise<void> {
    await writeFile(this.dataPath(mediaId), new Uint8Array(0))
  }

  /** Cuts the data back to `length` bytes: what a failed append wrote past the recorded `received`. */
  async truncateData(mediaId: string, length: number): Promise<void> {
    try {
      await truncate(this.dataPath(mediaId), length)
    } catch (error) {
      if (!isMissing(error)) throw error
    }
  }

  /** Every file of the media. Downloads already running keep their open file until they end. */
  async remove(mediaId: string): Promise<void> {
    await Promise.all(SUFFIXES.map((suffix) => rm(this.path(mediaId, suffix), { force: true })))
  }

  /** Ids with at least one file in the directory. */
  async ids(): Promise<string[]> {
    const ids = new Set<string>()
    for (const name of await readdir(this.dir)) {
      const suffix = SUFFIXES.find((s) => name.endsWith(s))
      const id = suffix === undefined ? '' : name.slice(0, -suffix.length)
      if (MEDIA_ID_PATTERN.test(id)) ids.add(id)
    }
    return [...ids]
  }

  /** Lowercase hex SHA-256 of the data as it is on disk, read as a stream. */
  async sha256(mediaId: string): Promise<string> {
    const hash = createHash('sha256')
    for await (const chunk of createReadStream(this.dataPath(mediaId))) hash.update(chunk as Buffer)
    return hash.digest('hex')
  }

  private path(mediaId: string, suffix: string): string {
    if (!MEDIA_ID_PATTERN.test(mediaId)) throw new Error(`not a media id: ${JSON.stringify(mediaId)}`)
    return join(this.dir, mediaId + suffix)
  }
}

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
