import { InMemoryRateStore } from '../../limits/rate-store.js'
import { type Logger, quietLogger } from '../../logger.js'
import { InMemoryHolderStore } from '../../media-holders/holder-store.js'
import { InMemoryPresenceStore } from '../../presence/presence-store.js'
import { InMemoryRoomStore } from '../../rooms/room-store.js'
import { InMemorySessionStore } from '../../session-store.js'
import type { ServerState } from '../server-state.js'
import { LmdbDedupeStore } from './lmdb-dedupe-store.js'
import { LmdbFileTokenStore } from './lmdb-file-token-store.js'
import { LmdbGroupStore } from './lmdb-group-store.js'
import { LmdbInboxStore } from './lmdb-inbox-store.js'
import { openStateDb } from './state-db.js'
import { StateSweeper } from './state-sweeper.js'

/**
 * How often expired dedupe records and inbox entries are removed from disk. They are invisible as soon
 * as they expire; the sweep only gives back their space, so once a minute is plenty.
 */
export const STATE_SWEEP_EVERY_MS = 60_000

export interface FileStateOptions {
  /** Where unreadable records are reported. Default: nowhere. */
  logger?: Logger
  now?: () => number
  /** Default STATE_SWEEP_EVERY_MS. */
  sweepEveryMs?: number
}

/**
 * Groups, kept deliveries, dedupe records and file tokens in an LMDB database in `dir` (created when
 * missing), where they survive a restart and a killed process; who is online, rooms, presence
 * subscriptions, media holders and rate buckets stay in this process's memory, since none of them
 * outlives the sessions of the process. `close()` waits for writes under way and closes the database.
 */
export function fileState(dir: string, options: FileStateOptions = {}): ServerState {
  const logger = options.logger ?? quietLogger
  const now = options.now ?? Date.now
  const db = openStateDb(dir)
  const corrupt = (what: string): void => logger.warn(`state in ${dir}: skipped an unreadable ${what}`)
  const dedupe = new LmdbDedupeStore(db, corrupt, now)
  const inbox = new LmdbInboxStore(db, corrupt)
  const sweeper = new StateSweeper({ dedupe, inbox }, options.sweepEveryMs ?? STATE_SWEEP_EVERY_MS, now, logger)
  let closing: Promise<void> | undefined
  return {
    sessions: new InMemorySessionStore(),
    rooms: new InMemoryRoomStore(),
    presence: new InMemoryPresenceStore(),
    holders: new InMemoryHolderStore(),
    rates: new InMemoryRateStore(),
    groups: new LmdbGroupStore(db, corrupt),
    inbox,
    dedupe,
    fileTokens: new LmdbFileTokenStore(db, corrupt, now),
    close() {
      closing ??= sweeper.stop().then(() => db.root.close())
      return closing
    },
  }
}
