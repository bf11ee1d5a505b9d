import { createShardedAdapter } from '@socket.io/redis-adapter'
import type { Logger } from '../../logger.js'
import { guardSubscriber } from './guarded-subscriber.js'
import { closeRedis, connectRedis } from './redis-connection.js'
import { RedisKeys } from './redis-keys.js'

/** A Socket.IO adapter over Redis and the connections it holds. */
export interface RedisSocketAdapter {
  /** For `Server`'s `adapter` option. */
  adapter: ReturnType<typeof createShardedAdapter>
  /** Closes both connections. Safe to call more than once. */
  close(): Promise<void>
}

/**
 * The sharded Redis adapter (Redis 7's SPUBLISH/SSUBSCRIBE) in `dynamic` mode: each room that is not a
 * socket id gets its own channel, subscribed only by the nodes that have a socket in it. Every frame
 * the server sends goes to a user room (`userRoom`), so a relayed chunk, an SDP or a delivery crosses
 * Redis once and reaches only the node that holds its recipient; the other nodes never read it. The
 * Redis Streams adapter survives Redis restarts without losing packets, but every node reads every
 * packet, relay frames included, so its cost grows with the node count; here a Redis outage loses the
 * packets sent during it (the relay's windows and the inbox's acks already cover lost frames and
 * deliveries) and never the process. ioredis 6 speaks sharded Pub/Sub (`spublish`, `ssubscribe`,
 * `smessageBuffer`, resubscribing after a reconnect), which this adapter supports as it is.
 *
 * Channels start with the state's key prefix, so deployments sharing one Redis stay apart.
 */
export function redisSocketAdapter(url: string, logger: Logger, prefix?: string): RedisSocketAdapter {
  const keys = new RedisKeys(prefix)
  const pub = connectRedis(url, logger, 'adapter-pub')
  const sub = connectRedis(url, logger, 'adapter-sub')
  guardSubscriber(sub, logger)
  let closing: Promise<void> | undefined
  return {
    adapter: createShardedAdapter(pub, sub, { channelPrefix: keys.channels(), subscriptionMode: 'dynamic' }),
    close() {
      closing ??= Promise.all([closeRedis(pub), closeRedis(sub)]).then(() => {})
      return closing
    },
  }
}
