import type { Redis } from 'ioredis'
import type { FileTokenStore, StoredGrant } from '../file-token-store.js'
import { LuaScript } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'
import { decodeGrant, encodeGrant } from './stored-values.js'

/**
 * How long a grant stays in Redis past its expiry, unless a later put sweeps it first: long enough
 * that a token used late is told it expired rather than that it is unknown, as `take` promises.
 */
export const FILE_TOKEN_GRACE_MS = 60 * 60 * 1000

/**
 * Sweeps grants expired at ARGV's now, keeps the new one, and drops the oldest past the bound.
 * KEYS: grant, order, expiry. ARGV: value, expiresAt, now, max, hash, grant key prefix, grace.
 */
const PUT = new LuaScript(
  `for _, hash in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])) do
  redis.call('DEL', ARGV[6] .. hash)
  redis.call('ZREM', KEYS[2], hash)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', tonumber(ARGV[2]) + tonumber(ARGV[7]))
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
local sequence = 1
if last[2] then sequence = tonumber(last[2]) + 1 end
redis.call('ZADD', KEYS[2], sequence, ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #oldest, 2 do
    redis.call('DEL', ARGV[6] .. oldest[i])
    redis.call('ZREM', KEYS[3], oldest[i])
  end
end
return 1`,
  3,
)

/** KEYS: grant, order, expiry. ARGV: hash. The grant's value, removed. */
const TAKE = new LuaScript(
  `local value = redis.call('GET', KEYS[1])
if not value then return false end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return value`,
  3,
)

/**
 * File tokens shared by every node, so a token made through one node is spent through any other, once.
 * One string per grant, plus two sorted sets of token hashes (by age for the bound, by expiry for the
 * sweep). A grant's key also expires by itself FILE_TOKEN_GRACE_MS after the grant does.
 */
export class RedisFileTokenStore implements FileTokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  async put(tokenHash: string, grant: StoredGrant, maxTokens: number): Promise<void> {
    await PUT.run(this.redis, this.#keys(tokenHash), [
      encodeGrant(grant),
      Math.max(1, Math.trunc(grant.expiresAt)),
      this.now(),
      maxTokens,
      tokenHash,
      this.keys.fileTokenPrefix(),
      FILE_TOKEN_GRACE_MS,
    ])
  }

  async take(tokenHash: string): Promise<StoredGrant | undefined> {
    return decodeGrant(await TAKE.run(this.redis, this.#keys(tokenHash), [tokenHash]))
  }

  #keys(tokenHash: string): string[] {
    return [this.keys.fileToken(tokenHash), this.keys.fileTokenOrder(), this.keys.fileTokenExpiry()]
  }
}
