import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { describeError } from '../../describe-error.js'
import type { Logger } from '../../logger.js'
import type { RedisKeys } from './redis-keys.js'

/**
 * How long a node counts as alive after its last heartbeat. A node killed with `kill -9` leaves its
 * sessions in Redis; they read as offline once this passes, so sends to its users are kept again.
 */
export const NODE_TTL_MS = 10_000
/** Heartbeats per NODE_TTL_MS: three, so one or two late beats on a busy machine change nothing. */
const NODE_HEARTBEAT_MS = NODE_TTL_MS / 3
/** Bytes of a node id: random, so a restarted node is a new node and never revives dead sessions. */
const NODE_ID_BYTES = 8

/**
 * This node's presence in Redis: a key that lives NODE_TTL_MS and is renewed every NODE_HEARTBEAT_MS.
 * Sessions name the node that holds them, and a session of a node whose key is gone reads as offline.
 */
export class NodeLiveness {
  readonly nodeId = randomBytes(NODE_ID_BYTES).toString('hex')
  readonly #timer: NodeJS.Timeout
  /** Resolves once the first beat landed (or failed, logged). */
  readonly started: Promise<void>

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {
    this.started = this.#beat()
    this.#timer = setInterval(() => void this.#beat(), NODE_HEARTBEAT_MS)
    this.#timer.unref()
  }

  /** Stops beating and removes the key: this node's sessions read as offline at once. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.redis.del(this.keys.node(this.nodeId)).catch(() => {})
  }

  async #beat(): Promise<void> {
    try {
      await this.redis.set(this.keys.node(this.nodeId), '1', 'PX', NODE_TTL_MS)
    } catch (error) {
      this.logger.warn(`redis heartbeat of node ${this.nodeId} failed: ${describeError(error)}`)
    }
  }
}
