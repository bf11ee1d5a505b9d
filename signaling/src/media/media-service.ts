import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_MEDIA_MAX_BYTES, MEDIA_RETENTION_MS, type MediaStoreOffer } from '@ferry/protocol'
import { DEFAULT_MEDIA_SWEEP_EVERY_MS } from '../constants.js'
import { describeError } from '../describe-error.js'
import type { Logger } from '../logger.js'
import { checkMediaDir, checkMediaMaxBytes, checkMediaRetentionMs, checkMediaSweepEveryMs } from '../settings-checks.js'
import type { FerrySocket } from '../types.js'
import { MediaKeys } from './media-keys.js'
import { MediaStore } from './media-store.js'

/** The server's `media` option, when not `false`. */
export interface MediaStoreOptions {
  /** Where media are kept, created when missing. Default: a fresh temporary directory, removed by `close()`. */
  dir?: string
  /** Largest media taken, in bytes. Default DEFAULT_MEDIA_MAX_BYTES. */
  maxBytes?: number
  /** How long a complete media is kept, and a stalled partial upload waits, in ms. Default MEDIA_RETENTION_MS. */
  retentionMs?: number
  /** How often expired media and stalled uploads are dropped, in ms. Default DEFAULT_MEDIA_SWEEP_EVERY_MS. */
  sweepEveryMs?: number
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number
}

/** The media store of a running server, with the keys of its sessions and the periodic sweep. */
export interface MediaService {
  store: MediaStore
  keys: MediaKeys
  /** Issues `socket` a key, revoked when it disconnects, and says what its `session:ready` tells it. */
  admit(socket: FerrySocket): MediaStoreOffer
  /** Stops the sweep, and removes the directory if it was a temporary one. */
  close(): Promise<void>
}

/** Throws a `FerryError` (`invalid-argument`) naming the first bad option. */
function checkMediaOptions(options: MediaStoreOptions): void {
  if (options.dir !== undefined) checkMediaDir(options.dir, 'media.dir')
  if (options.maxBytes !== undefined) checkMediaMaxBytes(options.maxBytes, 'media.maxBytes')
  if (options.retentionMs !== undefined) checkMediaRetentionMs(options.retentionMs, 'media.retentionMs')
  if (options.sweepEveryMs !== undefined) checkMediaSweepEveryMs(options.sweepEveryMs, 'media.sweepEveryMs')
}

/**
 * Opens the store, sweeps it once, then every `sweepEveryMs`. Bad options reject with `invalid-argument`
 * before anything touches the disk.
 */
export async function startMediaService(options: MediaStoreOptions, logger: Logger): Promise<MediaService> {
  checkMediaOptions(options)
  const temporary = options.dir === undefined
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ferry-media-')))
  const removeTemporary = async (): Promise<void> => {
    if (temporary) await rm(dir, { recursive: true, force: true })
  }
  let store: MediaStore
  try {
    store = await MediaStore.open({
      dir,
      maxBytes: options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES,
      retentionMs: options.retentionMs ?? MEDIA_RETENTION_MS,
      ...(options.now === undefined ? {} : { now: options.now }),
    })
  } catch (error) {
    await removeTemporary()
    throw error
  }

  // One sweep at a time: a tick that comes while one still runs (a slow disk) is skipped. Never
  // rejects: a failed sweep is logged, and the next tick tries again.
  let sweeping: Promise<void> | undefined
  const sweep = (): Promise<void> => {
    sweeping ??= store
      .sweep()
      .then(
        (dropped) => {
          if (dropped > 0) logger.info(`media sweep dropped ${dropped} expired or stalled media`)
        },
        (error: unknown) => logger.warn(`media sweep failed: ${describeError(error)}`),
      )
      .finally(() => {
        sweeping = undefined
      })
    return sweeping
  }
  await sweep()
  const timer = setInterval(sweep, options.sweepEveryMs ?? DEFAULT_MEDIA_SWEEP_EVERY_MS)
  timer.unref()

  const keys = new MediaKeys()
  return {
    store,
    keys,
    admit(socket) {
      const key = keys.issue(socket.data.userId)
      socket.once('disconnect', () => keys.revoke(key))
      return { key, maxBytes: store.maxBytes, retentionMs: store.retentionMs }
    },
    async close() {
      clearInterval(timer)
      await sweeping
      await removeTemporary()
    },
  }
}
