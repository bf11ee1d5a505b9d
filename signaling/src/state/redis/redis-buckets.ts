import type { Redis } from 'ioredis'
import type { Rate } from '../../limits/bucket-table.js'
import type { RateStore } from '../../limits/rate-store.js'
import { LuaScript } from './lua-script.js'

/**
 * A token bucket kept as { tokens, at } (at: Redis's clock in ms, the same for every node). KEYS:
 * bucket. ARGV: per second, burst, mode (take, peek or put), count or tokens. A full bucket is no key
 * at all: the key expires when the bucket would be full again.
 */
const BUCKET = new LuaScript(`
local perMs = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if state[1] then
  tokens = math.min(burst, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * perMs)
end
local reply = 1
if ARGV[3] == 'peek' then
  return string.format('%.17g', tokens)
elseif ARGV[3] == 'put' then
  tokens = math.max(0, math.min(burst, tonumber(ARGV[4])))
elseif tokens < tonumber(ARGV[4]) then
  reply = 0
else
  tokens = tokens - tonumber(ARGV[4])
end
if tokens >= burst then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perMs) + 1)
end
return reply
`)

/** Token buckets in Redis, shared by every node: each take is one atomic script on Redis's clock. */
export class RedisRateStore implements RateStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  async take(bucket: string, key: string, rate: Rate, count: number): Promise<boolean> {
    return Number(await this.#run(bucket, key, rate, 'take', count)) === 1
  }

  async peek(bucket: string, key: string, rate: Rate): Promise<number> {
    return Number(await this.#run(bucket, key, rate, 'peek', 0))
  }

  async put(bucket: string, key: string, rate: Rate, tokens: number): Promise<void> {
    await this.#run(bucket, key, rate, 'put', tokens)
  }

  #run(bucket: string, key: string, rate: Rate, mode: 'take' | 'peek' | 'put', amount: number): Promise<unknown> {
    return BUCKET.run(
      this.client,
      [`${this.prefix}bucket:${bucket}:${key}`],
      [rate.perSecond, rate.burst, mode, amount],
    )
  }
}
