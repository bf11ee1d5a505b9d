import { join } from 'node:path'
import { lock } from 'proper-lockfile'
import { KeyedLock } from './keyed-lock.js'

/**
 * A lock directory whose mtime is this old is taken for a crashed holder's and removed. The holder
 * refreshes it every half of this, so only a process that died (or stalled this long) loses it.
 */
const LOCK_STALE_MS = 10_000

/** Shortest and longest pause between tries for a lock another process holds: a section takes ms. */
const LOCK_RETRY_MIN_MS = 5
const LOCK_RETRY_MAX_MS = 250

/**
 * Tries for a lock another process holds, at most. Sections are short except the completion hash of a
 * large media read from disk; at LOCK_RETRY_MAX_MS apart, 480 tries wait about two minutes.
 */
const LOCK_RETRIES = 480

/** The suffix of a media's lock directory. */
export const LOCK_SUFFIX = '.lock'

/**
 * Runs tasks one at a time per media id, across every process sharing the store's directory (several
 * server nodes on one volume). In front of the lock on disk sits an in-process queue, so tasks of one
 * process wait in order instead of polling a lock their own process holds.
 *
 * The lock on disk is `<id>.lock`, a directory made with mkdir (atomic on local and network file
 * systems), kept fresh while held and removed on release; one left by a crashed process is stale after
 * LOCK_STALE_MS and taken over. The package doing this is `proper-lockfile`.
 */
export class MediaLock {
  private readonly local = new KeyedLock()

  constructor(private readonly dir: string) {}

  run<T>(mediaId: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(mediaId, () => this.held(mediaId, task))
  }

  private async held<T>(mediaId: string, task: () => Promise<T>): Promise<T> {
    const path = join(this.dir, mediaId)
    const release = await lock(path, {
      realpath: false,
      lockfilePath: path + LOCK_SUFFIX,
      stale: LOCK_STALE_MS,
      retries: { retries: LOCK_RETRIES, factor: 1.5, minTimeout: LOCK_RETRY_MIN_MS, maxTimeout: LOCK_RETRY_MAX_MS },
      // Lost only after a stall past LOCK_STALE_MS; the writes it guards check their own claims (see
      // `MediaRecord.writer`), so the task carries on and the release below reports nothing.
      onCompromised: () => {},
    })
    try {
      return await task()
    } finally {
      await release().catch(() => undefined)
    }
  }
}
