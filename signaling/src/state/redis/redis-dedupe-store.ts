import type { Redis } from 'ioredis'
import { type DedupeKey, type DedupeStore, dedupeKey, MAX_DEDUPE_RECORDS } from '../dedupe-store.js'
import { LuaScript } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'

/**
 * Records the value (expiring at its time, by Redis's own TTL) and its name in the order set; past the
 * bound, the oldest records go. KEYS: record, order. ARGV: value, expiresAt, name, record key prefix,
 * bound.
 */
const RECORD = `local function record()
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  local sequence = 1
  if last[2] then sequence = tonumber(last[2]) + 1 end
  redis.call('ZADD', KEYS[2], sequence, ARGV[3])
  local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
  if over > 0 then
    local oldest = redis.call('ZPOPMIN', KEYS[2], over)
    for i = 1, #oldest, 2 do redis.call('DEL', ARGV[4] .. oldest[i]) end
  end
end`

/** The live record, or false after recording ARGV's. */
const CLAIM = new LuaScript(
  `${RECORD}
local live = redis.call('GET', KEYS[1])
if live then return live end
record()
return false`,
  2,
)

const SET = new LuaScript(
  `${RECORD}
record()
return 1`,
  2,
)

/**
 * Dedupe records shared by every node: one string per record, expiring by Redis's TTL at the record's
 * time, and one sorted set of record names by age that holds the store to `maxRecords`, oldest out
 * first (names of records that already expired count until they reach the front).
 */
export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly maxRecords: number = MAX_DEDUPE_RECORDS,
  ) {}

  async claim(key: DedupeKey, value: string, expiresAt: number): Promise<string | undefined> {
    const live = await CLAIM.run(this.redis, this.#keys(key), this.#args(key, value, expiresAt))
    return typeof live === 'string' ? live : undefined
  }

  async get(key: DedupeKey): Promise<string | undefined> {
    return (await this.redis.get(this.keys.dedupe(key))) ?? undefined
  }

  async set(key: DedupeKey, value: string, expiresAt: number): Promise<void> {
    await SET.run(this.redis, this.#keys(key), this.#args(key, value, expiresAt))
  }

  #keys(key: DedupeKey): string[] {
    return [this.keys.dedupe(key), this.keys.dedupeOrder()]
  }

  #args(key: DedupeKey, value: string, expiresAt: number): (string | number)[] {
    // PXAT takes a positive time; a record already expired is written as expiring at once.
    return [value, Math.max(1, Math.trunc(expiresAt)), dedupeKey(key), this.keys.dedupePrefix(), this.maxRecords]
  }
}
