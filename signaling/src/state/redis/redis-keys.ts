import { checkRedisPrefix } from '../../settings-checks.js'
import { type DedupeKey, dedupeKey } from '../dedupe-store.js'

/** The prefix of every key and channel when none is given. */
export const DEFAULT_REDIS_PREFIX = 'ferry:'

/**
 * Every key the Redis state uses, in one place. All start with the prefix, so several deployments
 * (or test runs) share one Redis without seeing each other's state. User ids, gids, mids and token
 * hashes are parsed before they get here, so none holds a newline.
 *
 * | key                          | type   | holds                                                      |
 * | ---------------------------- | ------ | ---------------------------------------------------------- |
 * | `sessions`                   | hash   | user id → `<node id> <socket id>` of its one session       |
 * | `node:<node id>`             | string | present while that node is alive (expires NODE_TTL_MS)     |
 * | `nodes`                      | set    | every node id that beat and was not swept as dead yet      |
 * | `node-users:<node id>`       | set    | users whose session that node claimed (a superset)         |
 * | `groups`                     | set    | every gid                                                  |
 * | `group:<gid>`                | set    | the group's members                                        |
 * | `inbox:<user>:order`         | zset   | `from\nmid` by arrival sequence (oldest first)             |
 * | `inbox:<user>:expiry`        | zset   | `from\nmid` by expiry, ms since the epoch                  |
 * | `inbox:<user>:entries`       | hash   | `from\nmid` → the kept delivery (JSON)                     |
 * | `dedupe:<scope>\n<from>\n<mid>` | string | the first answer (expires with the record)              |
 * | `dedupe-order`               | zset   | dedupe record names by sequence, for the bound             |
 * | `file-token:<sha256>`        | string | the grant (JSON), kept FILE_TOKEN_GRACE_MS past its expiry |
 * | `file-tokens:order`          | zset   | token hashes by sequence, for the bound                    |
 * | `file-tokens:expiry`         | zset   | token hashes by expiry, for the sweep                      |
 */
export class RedisKeys {
  readonly prefix: string

  /** Throws `invalid-argument` for a prefix `checkRedisPrefix` refuses. */
  constructor(prefix: string = DEFAULT_REDIS_PREFIX) {
    this.prefix = checkRedisPrefix(prefix, 'redisPrefix')
  }

  readonly sessions = (): string => `${this.prefix}sessions`
  /** Node keys are `nodePrefix()` + node id; scripts build them from the id in a session value. */
  readonly nodePrefix = (): string => `${this.prefix}node:`
  readonly node = (nodeId: string): string => `${this.nodePrefix()}${nodeId}`
  readonly nodes = (): string => `${this.prefix}nodes`
  readonly nodeUsersPrefix = (): string => `${this.prefix}node-users:`
  readonly nodeUsers = (nodeId: string): string => `${this.nodeUsersPrefix()}${nodeId}`
  readonly groups = (): string => `${this.prefix}groups`
  readonly groupPrefix = (): string => `${this.prefix}group:`
  readonly group = (gid: string): string => `${this.groupPrefix()}${gid}`
  readonly inbox = (userId: string): { order: string; expiry: string; entries: string } => ({
    order: `${this.prefix}inbox:${userId}:order`,
    expiry: `${this.prefix}inbox:${userId}:expiry`,
    entries: `${this.prefix}inbox:${userId}:entries`,
  })
  readonly dedupePrefix = (): string => `${this.prefix}dedupe:`
  readonly dedupe = (key: DedupeKey): string => `${this.dedupePrefix()}${dedupeKey(key)}`
  readonly dedupeOrder = (): string => `${this.prefix}dedupe-order`
  readonly fileTokenPrefix = (): string => `${this.prefix}file-token:`
  readonly fileToken = (tokenHash: string): string => `${this.fileTokenPrefix()}${tokenHash}`
  readonly fileTokenOrder = (): string => `${this.prefix}file-tokens:order`
  readonly fileTokenExpiry = (): string => `${this.prefix}file-tokens:expiry`
  /** Channel prefix of the Socket.IO adapter. */
  readonly channels = (): string => `${this.prefix}socket.io`
}
