import type { Logger } from '../../logger.js'
import { quietLogger } from '../../logger.js'
import type { ServerState } from '../server-state.js'
import { NodeLiveness } from './node-liveness.js'
import { closeRedis, connectRedis } from './redis-connection.js'
import { RedisDedupeStore } from './redis-dedupe-store.js'
import { redisEphemeralState } from './redis-ephemeral.js'
import { RedisFileTokenStore } from './redis-file-token-store.js'
import { RedisGroupStore } from './redis-group-store.js'
import { RedisInboxStore } from './redis-inbox-store.js'
import { RedisKeys } from './redis-keys.js'
import { RedisSessionStore } from './redis-session-store.js'

export interface RedisStateOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string
  /** Starts every key, so several deployments share one Redis. Default DEFAULT_REDIS_PREFIX. */
  prefix?: string
  /** Where connection trouble is logged. Default: nowhere. */
  logger?: Logger
  /** The clock of the sweeps (file tokens). Default `Date.now`. */
  now?: () => number
}

/** The Redis state, with the node id its sessions carry. */
export interface RedisServerState extends ServerState {
  /** This node's id in Redis (random per state): its sessions read as offline once it stops beating. */
  nodeId: string
  /** Resolves once this node's first heartbeat landed: its sessions read as online from then on. */
  started: Promise<void>
}

/**
 * Every part of the server state in one Redis, shared by all the nodes that use the same URL and
 * prefix: one session per user across them, groups, inboxes, dedupe records, file tokens, rooms,
 * presence subscriptions, media holders and rate buckets. Redis
 * going away fails the calls made meanwhile (their callers log it) and never the process; the
 * connection comes back by itself. Needs Redis 7 or later; a single instance or primary, not Cluster.
 */
export function redisState(options: string | RedisStateOptions): RedisServerState {
  const { url, prefix, logger = quietLogger, now } = typeof options === 'string' ? { url: options } : options
  const keys = new RedisKeys(prefix)
  const redis = connectRedis(url, logger, 'state')
  const liveness = new NodeLiveness(redis, keys, logger)
  let closing: Promise<void> | undefined
  return {
    nodeId: liveness.nodeId,
    started: liveness.started,
    sessions: new RedisSessionStore(redis, keys, liveness.nodeId),
    groups: new RedisGroupStore(redis, keys),
    inbox: new RedisInboxStore(redis, keys),
    dedupe: new RedisDedupeStore(redis, keys),
    fileTokens: new RedisFileTokenStore(redis, keys, now),
    ...redisEphemeralState(redis, keys.prefix),
    watchDeadSessions: (handlers) => liveness.watch(handlers),
    close() {
      closing ??= liveness.stop().then(() => closeRedis(redis))
      return closing
    },
  }
}
