import type { Redis } from 'ioredis'
import { LEASE_MS } from '../../constants.js'
import { type HolderStore, MAX_MEDIA_HELD_PER_USER } from '../../media-holders/holder-store.js'
import { LuaScript, stringList } from './lua-script.js'
import { renewLeases } from './renew-leases.js'

/** KEYS: held by the user, holders of the media. ARGV: prefix, user, media, max per user, lease ms. */
const HAVE = new LuaScript(`
local seq = redis.call('INCR', ARGV[1] .. 'holders-seq')
redis.call('ZADD', KEYS[1], seq, ARGV[3])
redis.call('ZADD', KEYS[2], seq, ARGV[2])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if over > 0 then
  for _, media in ipairs(redis.call('ZRANGE', KEYS[1], 0, over - 1)) do
    redis.call('ZREM', KEYS[1], media)
    redis.call('ZREM', ARGV[1] .. 'holders:' .. media, ARGV[2])
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0
`)

/** KEYS: holders of the media. ARGV: prefix, media. Most recent first; holders whose lease ran out are dropped. */
const HOLDERS_OF = new LuaScript(`
local out = {}
for _, holder in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
  if redis.call('ZSCORE', ARGV[1] .. 'held:' .. holder, ARGV[2]) then
    out[#out + 1] = holder
  else
    redis.call('ZREM', KEYS[1], holder)
  end
end
return out
`)

/** KEYS: held by the user. ARGV: prefix, user. */
const FORGET = new LuaScript(`
for _, media in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  redis.call('ZREM', ARGV[1] .. 'holders:' .. media, ARGV[2])
end
redis.call('DEL', KEYS[1])
return 0
`)

/**
 * Media holders in Redis, shared by every node. `held:<user>` is what a user holds, most recent last,
 * and expires LEASE_MS after its node last refreshed it; `holders:<media>` who holds a media, where a
 * holder whose lease ran out is dropped the next time anyone asks.
 */
export class RedisHolderStore implements HolderStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly maxPerUser = MAX_MEDIA_HELD_PER_USER,
    private readonly leaseMs = LEASE_MS,
  ) {}

  async have(userId: string, mediaId: string): Promise<void> {
    await HAVE.run(
      this.client,
      [this.#held(userId), `${this.prefix}holders:${mediaId}`],
      [this.prefix, userId, mediaId, this.maxPerUser, this.leaseMs],
    )
  }

  async holdersOf(mediaId: string): Promise<string[]> {
    return stringList(await HOLDERS_OF.run(this.client, [`${this.prefix}holders:${mediaId}`], [this.prefix, mediaId]))
  }

  async heldBy(userId: string): Promise<string[]> {
    return await this.client.zrevrange(this.#held(userId), 0, -1)
  }

  async forget(userId: string): Promise<void> {
    await FORGET.run(this.client, [this.#held(userId)], [this.prefix, userId])
  }

  async refresh(userIds: readonly string[]): Promise<void> {
    await renewLeases(
      this.client,
      userIds.map((user) => this.#held(user)),
      this.leaseMs,
    )
  }

  #held(userId: string): string {
    return `${this.prefix}held:${userId}`
  }
}
