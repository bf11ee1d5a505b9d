import type { Group } from '@ferry/protocol'
import type { Redis } from 'ioredis'
import type { GroupStore } from '../../groups/group-store.js'
import { LuaScript } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'

/** KEYS: groups, group. ARGV: gid, members... */
const CREATE = new LuaScript(
  `if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
for i = 2, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
return 1`,
  2,
)

/** KEYS: groups, group. ARGV: gid. */
const DELETE = new LuaScript(
  `if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1`,
  2,
)

/** KEYS: groups, group. ARGV: gid. `{ 1, members }`, or false for no such group. */
const GET = new LuaScript(
  `if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return false end
return { 1, redis.call('SMEMBERS', KEYS[2]) }`,
  2,
)

/** KEYS: groups. ARGV: group key prefix. `{ gid, members, gid, members, ... }`. */
const LIST = new LuaScript(
  `local out = {}
for _, gid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  out[#out + 1] = gid
  out[#out + 1] = redis.call('SMEMBERS', ARGV[1] .. gid)
end
return out`,
  1,
)

/**
 * KEYS: groups, group. ARGV: gid, max members, count of adds, adds..., removes...
 * `{ 1, members }` when applied, `{ 0, size }` when too many, false for no such group.
 */
const UPDATE = new LuaScript(
  `if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return false end
local members = {}
for _, user in ipairs(redis.call('SMEMBERS', KEYS[2])) do members[user] = true end
local adds = tonumber(ARGV[3])
for i = 4, 3 + adds do members[ARGV[i]] = true end
for i = 4 + adds, #ARGV do members[ARGV[i]] = nil end
local list = {}
for user in pairs(members) do list[#list + 1] = user end
if #list > tonumber(ARGV[2]) then return { 0, #list } end
redis.call('DEL', KEYS[2])
for _, user in ipairs(list) do redis.call('SADD', KEYS[2], user) end
return { 1, list }`,
  2,
)

/**
 * Groups shared by every node: the set of gids, and one set of members per group (a group with no
 * members has a gid and no member set). Each call is one script, so concurrent updates through
 * different nodes never lose a member. Members come back in no particular order.
 */
export class RedisGroupStore implements GroupStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async create(gid: string, members: readonly string[]): Promise<boolean> {
    return (await CREATE.run(this.redis, [this.keys.groups(), this.keys.group(gid)], [gid, ...members])) === 1
  }

  async delete(gid: string): Promise<boolean> {
    return (await DELETE.run(this.redis, [this.keys.groups(), this.keys.group(gid)], [gid])) === 1
  }

  async get(gid: string): Promise<Group | undefined> {
    const found = await GET.run(this.redis, [this.keys.groups(), this.keys.group(gid)], [gid])
    if (!Array.isArray(found) || found[0] !== 1) return undefined
    return { gid, members: strings(found[1]) }
  }

  async list(): Promise<Group[]> {
    const flat = await LIST.run(this.redis, [this.keys.groups()], [this.keys.groupPrefix()])
    if (!Array.isArray(flat)) return []
    const groups: Group[] = []
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const gid: unknown = flat[i]
      if (typeof gid === 'string') groups.push({ gid, members: strings(flat[i + 1]) })
    }
    return groups.sort((a, b) => (a.gid < b.gid ? -1 : a.gid > b.gid ? 1 : 0))
  }

  async update(
    gid: string,
    add: readonly string[],
    remove: readonly string[],
    maxMembers: number,
  ): Promise<Group | { tooMany: number } | undefined> {
    const result = await UPDATE.run(
      this.redis,
      [this.keys.groups(), this.keys.group(gid)],
      [gid, maxMembers, add.length, ...add, ...remove],
    )
    if (!Array.isArray(result)) return undefined
    if (result[0] === 0 && typeof result[1] === 'number') return { tooMany: result[1] }
    return { gid, members: strings(result[1]) }
  }
}

/** The strings of a reply that should be a list of them; anything else is dropped. */
function strings(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.filter((item): item is string => typeof item === 'string') : []
}
