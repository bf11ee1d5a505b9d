import { Redis } from 'ioredis'
import { describeError } from '../../describe-error.js'
import type { Logger } from '../../logger.js'

/** Longest wait between reconnect attempts while Redis is away: quick to come back, no busy loop. */
const MAX_RECONNECT_DELAY_MS = 2000
/** Each attempt waits this much longer than the one before, up to MAX_RECONNECT_DELAY_MS. */
const RECONNECT_STEP_MS = 100
/**
 * Times a command is tried again across reconnects before it fails. A command waits at most this many
 * reconnect delays, then its caller gets the error (and logs it) instead of hanging while Redis is down.
 */
const MAX_RETRIES_PER_REQUEST = 5
/** How long `quit` may wait for Redis to answer before the connection is simply dropped. */
const QUIT_TIMEOUT_MS = 1000

/**
 * One connection to Redis that never brings the process down: errors are logged (once per outage,
 * not once per attempt), it reconnects forever with a capped backoff, and commands sent while it is
 * away fail after MAX_RETRIES_PER_REQUEST attempts instead of queueing without bound.
 */
export function connectRedis(url: string, logger: Logger, role: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    retryStrategy: (times) => Math.min(times * RECONNECT_STEP_MS, MAX_RECONNECT_DELAY_MS),
    connectionName: `ferry-${role}`,
  })
  let down = false
  redis.on('error', (error: unknown) => {
    if (down) return
    down = true
    logger.warn(`redis (${role}): ${describeError(error)}; reconnecting`)
  })
  redis.on('ready', () => {
    if (!down) return
    down = false
    logger.info(`redis (${role}): connected again`)
  })
  return redis
}

/** Closes the connection: politely when Redis answers, at once when it does not. Never rejects. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return
  if (redis.status !== 'ready') {
    redis.disconnect()
    return
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, QUIT_TIMEOUT_MS)
  })
  await Promise.race([redis.quit().catch(() => {}), timeout])
  clearTimeout(timer)
  redis.disconnect()
}
