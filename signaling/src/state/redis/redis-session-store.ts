import type { Redis } from 'ioredis'
import type { SessionStore } from '../../session-store.js'
import { LuaScript } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'

/** Session values are `<node id> <socket id>`; neither holds a space. */
const OWNER_SEPARATOR = ' '

/**
 * The previous owner's value, unless it is the same socket or its node is dead (a session no one
 * holds any more is no session to replace). The user moves to this node's set of users (KEYS[2]).
 * ARGV: user id, new value, node key prefix, node users key prefix.
 */
const CLAIM = new LuaScript(
  `local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
if not previous or previous == ARGV[2] then return false end
local node = string.match(previous, '^(%S+) ')
if not node then return false end
if ARGV[4] .. node ~= KEYS[2] then redis.call('SREM', ARGV[4] .. node, ARGV[1]) end
if redis.call('EXISTS', ARGV[3] .. node) == 1 then return previous end
return false`,
  2,
)

/** Frees the user if the value (ARGV[2]) still owns it, and takes it out of this node's set (KEYS[2]). */
const RELEASE = new LuaScript(
  `if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`,
  2,
)

/** The owner's value when its node is alive. ARGV: user id, node key prefix. */
const OWNER = new LuaScript(
  `local value = redis.call('HGET', KEYS[1], ARGV[1])
if not value then return false end
local node = string.match(value, '^(%S+) ')
if node and redis.call('EXISTS', ARGV[2] .. node) == 1 then return value end
return false`,
  1,
)

/** Every user id whose session's node is alive. ARGV: node key prefix. */
const LIST = new LuaScript(
  `local all = redis.call('HGETALL', KEYS[1])
local alive = {}
local users = {}
for i = 1, #all, 2 do
  local node = string.match(all[i + 1], '^(%S+) ')
  if node then
    if alive[node] == nil then alive[node] = redis.call('EXISTS', ARGV[1] .. node) == 1 end
    if alive[node] then users[#users + 1] = all[i] end
  end
end
return users`,
  1,
)

/**
 * Sessions shared by every node: one hash from user id to the node and socket holding its one
 * session. A claim on any node replaces a session on any other (the caller ends the old socket
 * through the Socket.IO adapter, which reaches it wherever it is). Sessions of a node that stopped
 * beating (see `NodeLiveness`) read as offline, and the next login takes them over.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
  ) {}

  async claim(userId: string, socketId: string): Promise<string | undefined> {
    const previous = await CLAIM.run(
      this.redis,
      [this.keys.sessions(), this.keys.nodeUsers(this.nodeId)],
      [userId, this.#value(socketId), this.keys.nodePrefix(), this.keys.nodeUsersPrefix()],
    )
    return socketOf(previous)
  }

  async release(userId: string, socketId: string): Promise<boolean> {
    const keys = [this.keys.sessions(), this.keys.nodeUsers(this.nodeId)]
    return (await RELEASE.run(this.redis, keys, [userId, this.#value(socketId)])) === 1
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.owner(userId)) !== undefined
  }

  async owner(userId: string): Promise<string | undefined> {
    return socketOf(await OWNER.run(this.redis, [this.keys.sessions()], [userId, this.keys.nodePrefix()]))
  }

  async list(): Promise<string[]> {
    const users = await LIST.run(this.redis, [this.keys.sessions()], [this.keys.nodePrefix()])
    return Array.isArray(users) ? users.filter((user): user is string => typeof user === 'string') : []
  }

  async count(): Promise<number> {
    return (await this.list()).length
  }

  #value(socketId: string): string {
    return `${this.nodeId}${OWNER_SEPARATOR}${socketId}`
  }
}

/** The socket id of a session value read from Redis; undefined for anything else. */
function socketOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const at = value.indexOf(OWNER_SEPARATOR)
  const socketId = value.slice(at + 1)
  return at > 0 && socketId !== '' ? socketId : undefined
}
