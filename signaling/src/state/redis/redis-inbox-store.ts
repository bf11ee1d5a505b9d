import type { Redis } from 'ioredis'
import { type DeliveryKey, deliveryKey, type InboxStore, type KeptDelivery } from '../inbox-store.js'
import { LuaScript } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'
import { decodeKept, encodeKept } from './stored-values.js'

/**
 * Keeps every key of an inbox alive at least until ARGV's expiry: the inbox vanishes on its own once
 * its last entry expired, even if its user never comes back.
 */
const KEEP_UNTIL = `local function keep_until(key, at)
  local current = redis.call('PEXPIRETIME', key)
  if current == -1 or current < at then redis.call('PEXPIREAT', key, at) end
end`

/** KEYS: order, expiry, entries. ARGV: name, value, expiresAt, maxPerUser. */
const PUT = new LuaScript(
  `${KEEP_UNTIL}
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then return 0 end
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local sequence = 1
if last[2] then sequence = tonumber(last[2]) + 1 end
redis.call('ZADD', KEYS[1], sequence, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[1], over)
  for i = 1, #oldest, 2 do
    redis.call('ZREM', KEYS[2], oldest[i])
    redis.call('HDEL', KEYS[3], oldest[i])
  end
end
local at = tonumber(ARGV[3])
for i = 1, 3 do keep_until(KEYS[i], at) end
return 1`,
  3,
)

/** KEYS: order, expiry, entries. ARGV: now. The live entries' values, oldest first. */
const LIST = new LuaScript(
  `for _, name in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])) do
  redis.call('ZREM', KEYS[1], name)
  redis.call('HDEL', KEYS[3], name)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
local values = {}
for _, name in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  values[#values + 1] = redis.call('HGET', KEYS[3], name)
end
return values`,
  3,
)

/** KEYS: order, expiry, entries. ARGV: names. How many were there. */
const ACK = new LuaScript(
  `local removed = 0
for _, name in ipairs(ARGV) do
  if redis.call('HDEL', KEYS[3], name) == 1 then
    removed = removed + 1
    redis.call('ZREM', KEYS[1], name)
    redis.call('ZREM', KEYS[2], name)
  end
end
return removed`,
  3,
)

/**
 * Inboxes shared by every node. Per user, three keys (see `RedisKeys`): arrival order, expiry, and the
 * entries. Expired entries are swept when the inbox is listed; the keys themselves expire with the
 * inbox's last entry, so an inbox whose user never returns leaves nothing behind.
 */
export class RedisInboxStore implements InboxStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async put(userId: string, entry: KeptDelivery, expiresAt: number, maxPerUser: number): Promise<void> {
    const { order, expiry, entries } = this.keys.inbox(userId)
    await PUT.run(
      this.redis,
      [order, expiry, entries],
      [deliveryKey(entry.meta), encodeKept(entry), expiresAt, maxPerUser],
    )
  }

  async list(userId: string, now: number): Promise<KeptDelivery[]> {
    const { order, expiry, entries } = this.keys.inbox(userId)
    const values = await LIST.run(this.redis, [order, expiry, entries], [now])
    if (!Array.isArray(values)) return []
    return values.map(decodeKept).filter((kept): kept is KeptDelivery => kept !== undefined)
  }

  async ack(userId: string, keys: readonly DeliveryKey[]): Promise<number> {
    if (keys.length === 0) return 0
    const { order, expiry, entries } = this.keys.inbox(userId)
    const removed = await ACK.run(this.redis, [order, expiry, entries], keys.map(deliveryKey))
    return typeof removed === 'number' ? removed : 0
  }

  async count(userId: string): Promise<number> {
    return await this.redis.zcard(this.keys.inbox(userId).order)
  }
}
