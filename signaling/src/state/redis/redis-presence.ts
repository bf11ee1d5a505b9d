import type { Redis } from 'ioredis'
import { LEASE_MS } from '../../constants.js'
import { followCapError, type PresenceStore } from '../../presence/presence-store.js'
import { LuaScript, stringList } from './lua-script.js'
import { renewLeases } from './renew-leases.js'

/**
 * KEYS: watching of the watcher. ARGV: prefix, watcher, max, lease ms, users… Replies -1 when done,
 * else how many it would have followed (changing nothing).
 */
const SUBSCRIBE = new LuaScript(`
local added, seen = {}, {}
for i = 5, #ARGV do
  local user = ARGV[i]
  if user ~= ARGV[2] and not seen[user] and redis.call('SISMEMBER', KEYS[1], user) == 0 then
    seen[user] = true
    added[#added + 1] = user
  end
end
local total = redis.call('SCARD', KEYS[1]) + #added
if total > tonumber(ARGV[3]) then return total end
for _, user in ipairs(added) do
  redis.call('SADD', KEYS[1], user)
  redis.call('SADD', ARGV[1] .. 'watchers:' .. user, ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return -1
`)

/** KEYS: watching of the watcher. ARGV: prefix, watcher, users… */
const UNSUBSCRIBE = new LuaScript(`
for i = 3, #ARGV do
  if redis.call('SREM', KEYS[1], ARGV[i]) == 1 then redis.call('SREM', ARGV[1] .. 'watchers:' .. ARGV[i], ARGV[2]) end
end
return 0
`)

/** KEYS: watching of the watcher. ARGV: prefix, watcher. */
const FORGET = new LuaScript(`
for _, user in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  redis.call('SREM', ARGV[1] .. 'watchers:' .. user, ARGV[2])
end
redis.call('DEL', KEYS[1])
return 0
`)

/** KEYS: watchers of the user. ARGV: prefix, user. Watchers whose lease ran out are dropped. */
const WATCHERS_OF = new LuaScript(`
local out = {}
for _, watcher in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('SISMEMBER', ARGV[1] .. 'watching:' .. watcher, ARGV[2]) == 1 then
    out[#out + 1] = watcher
  else
    redis.call('SREM', KEYS[1], watcher)
  end
end
return out
`)

/**
 * Presence subscriptions in Redis, shared by every node. `watching:<watcher>` is whom a watcher
 * follows, and expires LEASE_MS after its node last refreshed it; `watchers:<user>` who follows a
 * user, where a watcher whose lease ran out is dropped the next time the user is announced.
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly leaseMs = LEASE_MS,
  ) {}

  async subscribe(watcher: string, users: readonly string[], max: number): Promise<void> {
    const reply = Number(
      await SUBSCRIBE.run(this.client, [this.#watching(watcher)], [this.prefix, watcher, max, this.leaseMs, ...users]),
    )
    if (reply !== -1) throw followCapError(reply, max)
  }

  async unsubscribe(watcher: string, users: readonly string[]): Promise<void> {
    if (users.length === 0) return
    await UNSUBSCRIBE.run(this.client, [this.#watching(watcher)], [this.prefix, watcher, ...users])
  }

  async forget(watcher: string): Promise<void> {
    await FORGET.run(this.client, [this.#watching(watcher)], [this.prefix, watcher])
  }

  async watchersOf(user: string): Promise<string[]> {
    return stringList(await WATCHERS_OF.run(this.client, [`${this.prefix}watchers:${user}`], [this.prefix, user]))
  }

  async followedBy(watcher: string): Promise<string[]> {
    return await this.client.smembers(this.#watching(watcher))
  }

  async refresh(watchers: readonly string[]): Promise<void> {
    await renewLeases(
      this.client,
      watchers.map((watcher) => this.#watching(watcher)),
      this.leaseMs,
    )
  }

  #watching(watcher: string): string {
    return `${this.prefix}watching:${watcher}`
  }
}
