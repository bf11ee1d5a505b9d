import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { describeError } from '../../describe-error.js'
import type { Logger } from '../../logger.js'
import type { DeadSessionHandlers } from '../server-state.js'
import { reapDeadNodes } from './dead-nodes.js'
import { LuaScript } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'

/**
 * How long a node counts as alive after its last heartbeat. A node killed with `kill -9` leaves its
 * sessions in Redis; they read as offline once this passes, so sends to its users are kept again, and
 * the next sweep of a live node announces those users offline. Until then a user of the dead node who
 * logs in elsewhere replaces its session quietly: its peers see no offline and keep their links.
 */
export const NODE_TTL_MS = 10_000
/** Heartbeats per NODE_TTL_MS: three, so one or two late beats on a busy machine change nothing. */
const NODE_HEARTBEAT_MS = NODE_TTL_MS / 3
/** Bytes of a node id: random, so a restarted node is a new node and never revives dead sessions. */
const NODE_ID_BYTES = 8

/**
 * Renews the node's key (KEYS[1]) and names the node in `nodes` (KEYS[2]). Returns 1 when the node was
 * not named there: a first beat, or a node that a sweep took for dead. ARGV: node id, TTL in ms.
 */
const BEAT = new LuaScript(
  `redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
return redis.call('SADD', KEYS[2], ARGV[1])`,
  2,
)

/**
 * This node's presence in Redis: a key that lives NODE_TTL_MS and is renewed every NODE_HEARTBEAT_MS.
 * Sessions name the node that holds them, and a session of a node whose key is gone reads as offline.
 * After each beat the node sweeps the nodes whose key is gone (see `reapDeadNodes`) and hands their
 * users to `watch`'s handler; a node that finds it was swept itself (it stalled past NODE_TTL_MS) says
 * so, since its sessions are gone.
 */
export class NodeLiveness {
  readonly nodeId = randomBytes(NODE_ID_BYTES).toString('hex')
  readonly #timer: NodeJS.Timeout
  /** Resolves once the first beat landed (or failed, logged). */
  readonly started: Promise<void>
  #handlers: DeadSessionHandlers | undefined
  #beats = 0

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {
    this.started = this.#beat()
    this.#timer = setInterval(() => void this.#beat().then(() => this.#sweep()), NODE_HEARTBEAT_MS)
    this.#timer.unref()
  }

  /** From now on, the users of dead nodes and this node's own sweep go to `handlers`. */
  watch(handlers: DeadSessionHandlers): void {
    this.#handlers = handlers
  }

  /** Stops beating and removes the key: this node's sessions read as offline at once. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#handlers = undefined
    await this.redis.del(this.keys.node(this.nodeId)).catch(() => {})
  }

  async #beat(): Promise<void> {
    try {
      const added = await BEAT.run(
        this.redis,
        [this.keys.node(this.nodeId), this.keys.nodes()],
        [this.nodeId, NODE_TTL_MS],
      )
      const first = this.#beats++ === 0
      if (added === 1 && !first) {
        this.logger.warn(`node ${this.nodeId} was taken for dead (its heartbeat lapsed): its sessions are gone`)
        this.#handlers?.swept()
      }
    } catch (error) {
      this.logger.warn(`redis heartbeat of node ${this.nodeId} failed: ${describeError(error)}`)
    }
  }

  async #sweep(): Promise<void> {
    const handlers = this.#handlers
    if (!handlers) return
    try {
      const gone = await reapDeadNodes(this.redis, this.keys, this.nodeId)
      if (gone.length > 0) await handlers.gone(gone)
    } catch (error) {
      this.logger.warn(`sweeping dead nodes failed: ${describeError(error)}`)
    }
  }
}
