import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_MEDIA_MAX_BYTES, FerryError, MEDIA_RETENTION_MS, type MediaStoreOffer } from '@ferry/protocol'
import { DEFAULT_MEDIA_SWEEP_EVERY_MS } from '../constants.js'
import { describeError } from '../describe-error.js'
import type { Logger } from '../logger.js'
import type { SessionStore } from '../session-store.js'
import { checkMediaDir, checkMediaMaxBytes, checkMediaRetentionMs, checkMediaSweepEveryMs } from '../settings-checks.js'
import type { FerrySocket } from '../types.js'
import { loadKeySecret } from './key-secret.js'
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
  /**
   * The secret media keys are signed with, at least MIN_MEDIA_KEY_SECRET_CHARS characters, the same on
   * every node. Default: the one in the store's directory (`media-keys.secret`), made by the first node
   * to start, so nodes sharing the directory accept each other's keys.
   */
  keySecret?: string
}

/** Shortest `keySecret`, as for `jwtSecret`: a shorter one is within reach of guessing. */
export const MIN_MEDIA_KEY_SECRET_CHARS = 32

/** The media store of a running server, with the keys of its sessions and the periodic sweep. */
export interface MediaService {
  store: MediaStore
  keys: MediaKeys
  /** Issues `socket` a key, good while it owns its user, and says what its `session:ready` tells it. */
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
  const secret = options.keySecret
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < MIN_MEDIA_KEY_SECRET_CHARS)) {
    throw new FerryError(
      'invalid-argument',
      `media.keySecret must be at least ${MIN_MEDIA_KEY_SECRET_CHARS} characters`,
    )
  }
}

/**
 * Opens the store, sweeps it once, then every `sweepEveryMs`. Bad options reject with `invalid-argument`
 * before anything touches the disk. A media key is good while `sessions` says its socket owns its user.
 */
export async function startMediaService(
  options: MediaStoreOptions,
  sessions: SessionStore,
  logger: Logger,
): Promise<MediaService> {
  checkMediaOptions(options)
  const temporary = options.dir === undefined
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ferry-media-')))
  const removeTemporary = async (): Promise<void> => {
    if (temporary) await rm(dir, { recursive: true, force: true })
  }
  let store: MediaStore
  let secret: Buffer
  try {
    store = await MediaStore.open({
      dir,
      maxBytes: options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES,
      retentionMs: options.retentionMs ?? MEDIA_RETENTION_MS,
      ...(options.now === undefined ? {} : { now: options.now }),
    })
    secret = options.keySecret === undefined ? await loadKeySecret(dir) : Buffer.from(options.keySecret)
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

  const keys = new MediaKeys(secret, sessions)
  return {
    store,
    keys,
    admit(socket) {
      const key = keys.issue(socket.data.userId, socket.id)
      return { key, maxBytes: store.maxBytes, retentionMs: store.retentionMs }
    },
    async close() {
      clearInterval(timer)
      await sweeping
      await removeTemporary()
    },
  }
}
