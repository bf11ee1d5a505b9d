import type { Hash } from 'node:crypto'
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  MAX_MEDIA_TASKS,
  MEDIA_ID_PATTERN,
  type MediaInfo,
  type MediaUploadRequest,
  type MediaUploadState,
  USER_ID_PATTERN,
} from '@ferry/protocol'
import { checkMediaMaxBytes, checkMediaRetentionMs } from '../settings-checks.js'
import { ByteLimit } from './byte-limit.js'
import { writeHashed } from './hashed-write.js'
import { isMissing, MediaFiles } from './media-files.js'
import { MediaLock } from './media-lock.js'
import { type MediaRecord, mediaInfo, uploadState } from './media-record.js'
import { isMediaStoreError, MediaStoreError } from './media-refusal.js'
import { hashTap, RunningHashes } from './running-hashes.js'
import { checkUploadRequest } from './upload-request.js'

export interface MediaStoreSettings {
  /** The store's directory, created when missing. It may hold other files: the store leaves them alone. */
  dir: string
  /** Largest media taken, in bytes. */
  maxBytes: number
  /** How long a complete media is kept, and how long a partial upload waits for its next byte, in ms. */
  retentionMs: number
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number
}

/** Bytes `start` to `end` (inclusive; default the last byte) of a media, as HTTP ranges count. */
export interface MediaRange {
  start: number
  end?: number
}

export interface MediaRead {
  info: MediaInfo
  /** First byte in `stream`. */
  start: number
  /** Last byte in `stream` (inclusive). */
  end: number
  /** The bytes; reading from an open file, so it outlives a delete or sweep of the media. */
  stream: Readable
}

/**
 * A put's draft not written to for this long is taken for the draft of a process that died mid-put,
 * and swept. A live put writes as its body arrives; the HTTP server ends one stalled far shorter.
 */
const STALE_PUT_MS = 60 * 60 * 1000

interface RunningAppend {
  uploader: string
  /** Stops the append; the reason is what it rejects with. */
  abort: AbortController
  /** Resolves once the append recorded what it wrote and left. */
  settled: Promise<void>
}

/**
 * Media kept on disk by id, uploaded in pieces by one user and readable by anyone who knows the id.
 * Refusals reject with a `MediaStoreError` whose `reason` says why. A media id is the capability to
 * read it; only its uploader may append to it or delete it.
 *
 * An upload is started (or resumed) with `start`, then filled with `append`s, each at the offset the
 * store holds. When the last byte is in, the data is hashed from disk; a SHA-256 other than the
 * declared one drops the upload. A complete media is kept `retentionMs`, then `sweep` drops it.
 *
 * Several processes (server nodes on one shared volume) may open stores on one directory: every
 * read-modify-write of a media's files holds its `MediaLock`, which is exclusive across processes, and
 * an append claims the data in the record (`writer`) so that a newer append through another node
 * takes the upload over safely (see `append`). A crash at any point leaves a state the next request
 * or `sweep` resumes or cleans: records and data are on disk before they count.
 */
export class MediaStore {
  readonly dir: string
  readonly maxBytes: number
  readonly retentionMs: number
  private readonly now: () => number
  private readonly files: MediaFiles
  private readonly lock: MediaLock
  private readonly appends = new Map<string, RunningAppend>()
  private readonly hashes = new RunningHashes()

  private constructor(settings: MediaStoreSettings) {
    this.dir = settings.dir
    this.maxBytes = settings.maxBytes
    this.retentionMs = settings.retentionMs
    this.now = settings.now ?? Date.now
    this.files = new MediaFiles(settings.dir)
    this.lock = new MediaLock(settings.dir)
  }

  /** A store on `settings.dir`, creating it when missing. Rejects with `invalid-argument` on bad limits. */
  static async open(settings: MediaStoreSettings): Promise<MediaStore> {
    checkMediaMaxBytes(settings.maxBytes, 'maxBytes')
    checkMediaRetentionMs(settings.retentionMs, 'retentionMs')
    await mkdir(settings.dir, { recursive: true })
    return new MediaStore(settings)
  }

  /** Appends of `userId` running right now in this process (at most MAX_MEDIA_TASKS). */
  uploading(userId: string): number {
    let count = 0
    for (const append of this.appends.values()) if (append.uploader === userId) count++
    return count
  }

  /**
   * Starts an upload of `request` under `mediaId`, or resumes the uploader's own upload of the same
   * content (same size, SHA-256, name and mime): the state says how many bytes the store holds.
   */
  async start(mediaId: string, uploader: string, request: MediaUploadRequest): Promise<MediaUploadState> {
    checkIds(mediaId, uploader)
    const checked = checkUploadRequest(request, this.maxBytes)
    if (checked instanceof MediaStoreError) throw checked
    return this.lock.run(mediaId, async () => {
      const existing = await this.live(mediaId)
      if (existing) {
        if (existing.uploader !== uploader || !sameContent(existing, checked)) throw taken()
        return uploadState(existing)
      }
      if (this.appends.has(mediaId)) throw new MediaStoreError('wrong-offset', 'the media is still being written', 0)
      const now = this.now()
      const record: MediaRecord = {
        mediaId,
        uploader,
        ...checked,
        received: 0,
        complete: false,
        createdAt: now,
        expiresAt: now + this.retentionMs,
        generation: newToken(),
      }
      await this.files.remove(mediaId)
      await disk(async () => {
        await this.files.createData(mediaId)
        await this.files.writeRecord(record)
      })
      return uploadState(record)
    })
  }

  /**
   * Writes `body` at `offset`, which must be where the upload stands. `length`, when the caller knows
   * it (an HTTP Content-Length), lets bytes past the declared size be refused before any is read;
   * otherwise they are refused when they arrive. Either way none of such a body is kept. A body that
   * fails midway (the client went away) keeps what was written, and the upload resumes from there.
   *
   * An append of the uploader's that still runs in this process is stopped first, and what it wrote
   * kept. One that runs on another node, or was cut by a crash, is taken over: the recorded bytes are
   * copied to a new data file, so the old append writes on into a file no name points to, and finds
   * its claim gone when it tries to record what it wrote (`wrong-offset`).
   */
  async append(
    mediaId: string,
    uploader: string,
    offset: number,
    body: Readable,
    length?: number,
  ): Promise<MediaUploadState> {
    checkIds(mediaId, uploader)
    if (!isCount(offset)) throw new MediaStoreError('bad-request', 'the offset must be a whole number')
    await this.takeOver(mediaId, uploader)
    const { record, abort, leave } = await this.lock.run(mediaId, () =>
      this.beginAppend(mediaId, uploader, offset, length),
    )
    try {
      const written = await this.write(record, body, abort.signal)
      return await this.lock.run(mediaId, () => this.settle(record, written))
    } finally {
      this.appends.delete(mediaId)
      leave()
    }
  }

  /**
   * Stores `body` whole as a new, complete media of `uploader`, hashing it as it is written: for a
   * sender the server trusts (the server API), which cannot declare the SHA-256 up front as `start`
   * needs. `length`, when known, refuses a body over `maxBytes` before any is read; otherwise it fails
   * with `past-size` once past it. A put that fails, or is deleted midway, leaves nothing behind.
   */
  async put(
    mediaId: string,
    uploader: string,
    details: { fileName: string; mime: string },
    body: Readable,
    length?: number,
  ): Promise<MediaInfo> {
    checkIds(mediaId, uploader)
    const checked = checkUploadRequest({ ...details, size: length ?? 1, sha256: NO_SHA256 }, this.maxBytes)
    if (checked instanceof MediaStoreError) throw checked
    const abort = new AbortController()
    const leave = await this.lock.run(mediaId, () => this.beginPut(mediaId, uploader, abort))
    const draft = this.files.putPath(mediaId)
    try {
      const { bytes, sha256 } = await writeHashed(body, draft, this.maxBytes, abort.signal)
      if (bytes === 0) throw new MediaStoreError('bad-request', 'the media is empty')
      const now = this.now()
      const record: MediaRecord = {
        mediaId,
        uploader,
        fileName: checked.fileName,
        mime: checked.mime,
        size: bytes,
        sha256,
        received: bytes,
        complete: true,
        createdAt: now,
        expiresAt: now + this.retentionMs,
        generation: newToken(),
      }
      await this.lock.run(mediaId, async () => {
        // Another node may have started an upload under this id while the body arrived.
        if (await this.files.readRecord(mediaId)) throw taken()
        try {
          await disk(async () => {
            await this.files.adoptPut(mediaId, draft)
            await this.files.writeRecord(record)
          })
        } catch (error) {
          await this.files.remove(mediaId)
          throw error
        }
      })
      return mediaInfo(record)
    } catch (error) {
      await rm(draft, { force: true })
      throw appendFailure(error)
    } finally {
      this.appends.delete(mediaId)
      leave()
    }
  }

  /** What a complete, unexpired media is; undefined for anything else. */
  async info(mediaId: string): Promise<MediaInfo | undefined> {
    if (!MEDIA_ID_PATTERN.test(mediaId)) return undefined
    const record = await this.files.readRecord(mediaId)
    return record?.complete && record.expiresAt > this.now() ? mediaInfo(record) : undefined
  }

  /** The bytes of a complete, unexpired media from `range.start` (default all of it). */
  async read(mediaId: string, range: MediaRange = { start: 0 }): Promise<MediaRead> {
    const info = await this.info(mediaId)
    if (!info) throw notFound()
    const { start } = range
    const end = Math.min(range.end ?? info.size - 1, info.size - 1)
    if (!isCount(start) || start >= info.size || (range.end !== undefined && (!isCount(range.end) || end < start))) {
      throw new MediaStoreError('bad-range', `the media has ${info.size} bytes`)
    }
    try {
      const handle = await open(this.files.dataPath(mediaId), 'r')
      return { info, start, end, stream: handle.createReadStream({ start, end }) }
    } catch (error) {
      if (isMissing(error)) throw notFound()
      throw error
    }
  }

  /** Drops a media or an upload, stopping an append that runs. Only its uploader may. */
  async delete(mediaId: string, by: string): Promise<void> {
    checkIds(mediaId, by)
    await this.lock.run(mediaId, async () => {
      const record = await this.live(mediaId)
      if (!record) throw notFound()
      if (record.uploader !== by) throw new MediaStoreError('not-uploader', 'only the uploader may delete a media')
      this.appends.get(mediaId)?.abort.abort(new MediaStoreError('not-found', 'the upload was deleted while it ran'))
      this.hashes.forget(mediaId)
      await this.files.remove(mediaId)
    })
  }

  /**
   * Drops every expired media and every partial upload that got no byte for `retentionMs`, with the
   * files of any half-created one and the drafts and locks a crashed process left. Appends that run in
   * this process are left alone. Resolves with the number of media dropped.
   */
  async sweep(): Promise<number> {
    let dropped = 0
    for (const [mediaId, suffixes] of await this.files.ids()) {
      if (await this.untouched(mediaId, suffixes)) continue
      const gone = await this.lock.run(mediaId, async () => {
        await this.files.removeStalePuts(mediaId, suffixes, Date.now() - STALE_PUT_MS)
        if (this.appends.has(mediaId)) return false
        const record = await this.files.readRecord(mediaId)
        if (record && record.expiresAt > this.now()) {
          // Drafts are only written under the lock, which this holds: any there is a crash's. So is
          // a record with no data.
          const whole = await this.files.hasData(mediaId)
          if (whole) await this.files.removeDrafts(mediaId)
          else await this.files.remove(mediaId)
          return !whole
        }
        this.hashes.forget(mediaId)
        await this.files.remove(mediaId)
        return record !== undefined
      })
      if (gone) dropped++
    }
    return dropped
  }

  /** Whether a media is only its data and an unexpired record, so the sweep need not take its lock. */
  private async untouched(mediaId: string, suffixes: string[]): Promise<boolean> {
    if (suffixes.length !== 2 || !suffixes.includes('.data') || !suffixes.includes('.json')) return false
    const record = await this.files.readRecord(mediaId)
    return record !== undefined && record.expiresAt > this.now()
  }

  /** The record, unless it expired (an upload with an append running never has). */
  private async live(mediaId: string): Promise<MediaRecord | undefined> {
    const record = await this.files.readRecord(mediaId)
    if (!record) return undefined
    if (record.expiresAt <= this.now() && !this.appends.has(mediaId)) return undefined
    return record
  }

  /**
   * Stops the uploader's own append to this media that still runs: a client retrying after a dropped
   * connection the server has not noticed yet. What that append wrote is recorded, and the new append
   * must then start where it stopped.
   */
  private async takeOver(mediaId: string, uploader: string): Promise<void> {
    for (let running = this.appends.get(mediaId); running?.uploader === uploader; running = this.appends.get(mediaId)) {
      running.abort.abort(new MediaStoreError('wrong-offset', 'a newer append to this media took over'))
      await running.settled
    }
  }

  /** Claims a fresh id for a put in this process: a running append, so no start or put here takes it. */
  private async beginPut(mediaId: string, uploader: string, abort: AbortController): Promise<() => void> {
    if (this.appends.has(mediaId) || (await this.files.readRecord(mediaId))) throw taken()
    if (this.uploading(uploader) >= MAX_MEDIA_TASKS) {
      throw new MediaStoreError('too-many-uploads', `at most ${MAX_MEDIA_TASKS} uploads at once`)
    }
    let leave = (): void => {}
    const settled = new Promise<void>((resolve) => {
      leave = resolve
    })
    this.appends.set(mediaId, { uploader, abort, settled })
    return leave
  }

  private async beginAppend(
    mediaId: string,
    uploader: string,
    offset: number,
    length: number | undefined,
  ): Promise<{ record: MediaRecord; abort: AbortController; leave: () => void }> {
    const live = await this.live(mediaId)
    if (!live) throw notFound()
    if (live.uploader !== uploader) throw taken()
    const claimed = live.writer !== undefined && !live.complete && !this.appends.has(mediaId)
    const found = claimed ? await this.takeOverElsewhere(live) : live
    if (found.complete || this.appends.has(mediaId) || offset !== found.received) {
      // A running append here is another's that took over first: its `received` is not final yet.
      const why = found.complete ? 'is complete' : this.appends.has(mediaId) ? 'is being written' : 'stands at'
      throw new MediaStoreError('wrong-offset', `the upload ${why} ${found.received}`, found.received)
    }
    if (length !== undefined && offset + length > found.size) {
      throw new MediaStoreError('past-size', `${offset + length} bytes is over the declared size ${found.size}`)
    }
    if (this.uploading(uploader) >= MAX_MEDIA_TASKS) {
      throw new MediaStoreError('too-many-uploads', `at most ${MAX_MEDIA_TASKS} uploads at once`)
    }
    // A failed append may have left bytes past `received`; an append must start on exactly what is recorded.
    if (!claimed) await disk(() => this.files.truncateData(mediaId, found.received))
    const record: MediaRecord = { ...found, writer: newToken(), expiresAt: this.now() + this.retentionMs }
    await disk(() => this.files.writeRecord(record))
    const abort = new AbortController()
    let leave = (): void => {}
    const settled = new Promise<void>((resolve) => {
      leave = resolve
    })
    this.appends.set(mediaId, { uploader, abort, settled })
    return { record, abort, leave }
  }

  /**
   * Takes the data over from an append another node runs, or a crashed process ran: a new data file
   * with the recorded bytes, and a record that names no writer.
   */
  private async takeOverElsewhere(record: MediaRecord): Promise<MediaRecord> {
    const received = await disk(() => this.files.replaceData(record.mediaId, record.received))
    const { writer: _, ...rest } = record
    const taken: MediaRecord = { ...rest, received }
    await disk(() => this.files.writeRecord(taken))
    this.hashes.forget(record.mediaId)
    return taken
  }

  private async write(record: MediaRecord, body: Readable, signal: AbortSignal): Promise<Written> {
    const limit = new ByteLimit(record.size - record.received)
    const out = createWriteStream(this.files.dataPath(record.mediaId), { flags: 'r+', start: record.received })
    // The pipeline reports the stream's errors; this keeps one emitted after it settled from going unhandled.
    out.on('error', () => {})
    const closed = new Promise<void>((resolve) => out.once('close', () => resolve()))
    const hash = this.hashes.take(record.mediaId, record.generation, record.received)
    let failure: unknown
    try {
      if (hash) await pipeline(body, limit, hashTap(hash), out, { signal })
      else await pipeline(body, limit, out, { signal })
    } catch (error) {
      failure = error
    }
    // Only once the file is closed is `bytesWritten` final: a write may still be running when it fails.
    await closed
    // Stopped by a delete or a newer append: that is the reason to report, not the stream's AbortError.
    if (failure !== undefined && signal.aborted) failure = signal.reason
    // After a failure the hash may have seen bytes that were not written: the digest then comes from disk.
    return { bytes: out.bytesWritten, failure, hash: failure === undefined ? hash : undefined }
  }

  /**
   * Records what an append wrote, and completes the upload when its last byte is in, even if the body
   * failed right after it: an upload whose every byte is in is never left incomplete.
   */
  private async settle(started: MediaRecord, { bytes, failure, hash }: Written): Promise<MediaUploadState> {
    const { mediaId } = started
    const current = await this.files.readRecord(mediaId)
    if (!current || current.generation !== started.generation) {
      throw new MediaStoreError('not-found', 'the upload was deleted while it ran')
    }
    if (current.writer !== started.writer) {
      // Taken over by an append through another node: what this one wrote went to a file no name points to.
      throw new MediaStoreError('wrong-offset', 'a newer append to this media took over', current.received)
    }
    const refused = isMediaStoreError(failure) && failure.reason === 'past-size'
    const received = refused ? current.received : current.received + bytes
    const { writer: _, ...rest } = current
    let record: MediaRecord = { ...rest, received, expiresAt: this.now() + this.retentionMs }
    await disk(async () => {
      // A refused body is rolled back; any other failure keeps exactly the bytes counted as written.
      if (failure !== undefined) await this.files.truncateData(mediaId, received)
      // The bytes are on disk before the record counts them.
      if (received > current.received) await this.files.syncData(mediaId)
    })
    if (received === record.size) {
      const digest = hash?.digest('hex') ?? (await this.files.sha256(mediaId))
      if (digest !== record.sha256) {
        this.hashes.forget(mediaId)
        await this.files.remove(mediaId)
        throw new MediaStoreError('integrity-mismatch', 'the SHA-256 of the content is not the declared one')
      }
      record = { ...record, complete: true }
    } else if (hash) {
      this.hashes.keep(mediaId, record.generation, hash, received)
    }
    await disk(() => this.files.writeRecord(record))
    if (failure !== undefined && !record.complete) throw appendFailure(failure)
    return uploadState(record)
  }
}

/** Stands in for the SHA-256 `checkUploadRequest` wants of a put, which learns it only at the end. */
const NO_SHA256 = '0'.repeat(64)

interface Written {
  bytes: number
  failure: unknown
  /** The SHA-256 state over every byte so far, when it is known (see `RunningHashes`). */
  hash: Hash | undefined
}

/** A fresh `generation` or `writer` token. */
function newToken(): string {
  return randomBytes(12).toString('base64url')
}

function sameContent(record: MediaRecord, request: MediaUploadRequest): boolean {
  return (
    record.size === request.size &&
    record.sha256 === request.sha256 &&
    record.fileName === request.fileName &&
    record.mime === request.mime
  )
}

function checkIds(mediaId: string, userId: string): void {
  if (typeof mediaId !== 'string' || !MEDIA_ID_PATTERN.test(mediaId)) {
    throw new MediaStoreError('bad-request', 'a media id is 32 of A-Z a-z 0-9 _ -')
  }
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
    throw new MediaStoreError('bad-request', 'not a user id')
  }
}

function notFound(): MediaStoreError {
  return new MediaStoreError('not-found', 'no such media: never uploaded, expired or deleted')
}

function taken(): MediaStoreError {
  return new MediaStoreError('id-taken', 'this media id is taken by another upload')
}

/** Runs a disk write, turning a full disk into `storage-full`. */
async function disk<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (error) {
    throw isDiskFull(error) ? new MediaStoreError('storage-full', 'the media store has no room left') : error
  }
}

/** What an append that failed midway rejects with. */
function appendFailure(failure: unknown): unknown {
  if (isMediaStoreError(failure)) return failure
  if (isDiskFull(failure)) return new MediaStoreError('storage-full', 'the media store has no room left')
  return failure
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOSPC' || code === 'EDQUOT'
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
