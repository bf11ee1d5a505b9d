import type { Redis } from 'ioredis'
import { LEASE_MS } from '../../constants.js'
import { type RoomCaps, type RoomLeft, type RoomStore, roomCapError } from '../../rooms/room-store.js'
import { LuaScript, stringList } from './lua-script.js'
import { renewLeases } from './renew-leases.js'

/**
 * The members of one room, and whether each is still live: a member counts while its own set of rooms
 * (`rooms-of:<user>`, which expires with its lease) names the room. Dead members are dropped on the way.
 */
const LIVE = `
local function live(prefix, key, room)
  local out = {}
  for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    if redis.call('SISMEMBER', prefix .. 'rooms-of:' .. member, room) == 1 then
      out[#out + 1] = member
    else
      redis.call('ZREM', key, member)
    end
  end
  return out
end
`

/** KEYS: room, rooms-of user. ARGV: prefix, user, room, max rooms, max members, lease ms. */
const JOIN = new LuaScript(`${LIVE}
local members = live(ARGV[1], KEYS[1], ARGV[3])
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 1 then
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
  return {0, members}
end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then return {-1} end
if #members >= tonumber(ARGV[5]) then return {-2} end
redis.call('ZADD', KEYS[1], redis.call('INCR', ARGV[1] .. 'rooms-seq'), ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
members[#members + 1] = ARGV[2]
return {1, members}
`)

/** KEYS: room, rooms-of user. ARGV: prefix, user, room. */
const LEAVE = new LuaScript(`${LIVE}
local was = redis.call('SREM', KEYS[2], ARGV[3])
redis.call('ZREM', KEYS[1], ARGV[2])
if was == 0 then return {0} end
return {1, live(ARGV[1], KEYS[1], ARGV[3])}
`)

/** KEYS: rooms-of user. ARGV: prefix, user. Replies room, members, room, members… */
const LEAVE_ALL = new LuaScript(`${LIVE}
local rooms = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
local out = {}
for _, room in ipairs(rooms) do
  local key = ARGV[1] .. 'room:' .. room
  redis.call('ZREM', key, ARGV[2])
  out[#out + 1] = room
  out[#out + 1] = live(ARGV[1], key, room)
end
return out
`)

/** KEYS: room. ARGV: prefix, room. */
const MEMBERS = new LuaScript(`${LIVE}
return live(ARGV[1], KEYS[1], ARGV[2])
`)

/**
 * Rooms in Redis, shared by every node. `room:<room>` is a sorted set of members in join order;
 * `rooms-of:<user>` the user's rooms, which expires LEASE_MS after its node last refreshed it. A
 * member whose node died stops counting once its lease ran out, and is dropped from the room the next
 * time anyone reads or joins it; the others are not told (a node that died cannot say who left).
 */
export class RedisRoomStore implements RoomStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly leaseMs = LEASE_MS,
  ) {}

  async join(userId: string, room: string, caps: RoomCaps): Promise<{ added: boolean; members: string[] }> {
    const reply = (await JOIN.run(
      this.client,
      [this.#room(room), this.#roomsOf(userId)],
      [this.prefix, userId, room, caps.maxRoomsPerUser, caps.maxMembers, this.leaseMs],
    )) as [number, unknown?]
    if (reply[0] === -1) throw roomCapError('rooms', room, caps)
    if (reply[0] === -2) throw roomCapError('members', room, caps)
    return { added: reply[0] === 1, members: stringList(reply[1]) }
  }

  async leave(userId: string, room: string): Promise<string[] | undefined> {
    const reply = (await LEAVE.run(
      this.client,
      [this.#room(room), this.#roomsOf(userId)],
      [this.prefix, userId, room],
    )) as [number, unknown?]
    return reply[0] === 1 ? stringList(reply[1]) : undefined
  }

  async leaveAll(userId: string): Promise<RoomLeft[]> {
    const reply = (await LEAVE_ALL.run(this.client, [this.#roomsOf(userId)], [this.prefix, userId])) as unknown[]
    const left: RoomLeft[] = []
    for (let i = 0; i + 1 < reply.length; i += 2)
      left.push({ room: String(reply[i]), members: stringList(reply[i + 1]) })
    return left
  }

  async membersOf(room: string): Promise<string[]> {
    return stringList(await MEMBERS.run(this.client, [this.#room(room)], [this.prefix, room]))
  }

  async isMember(userId: string, room: string): Promise<boolean> {
    return (await this.client.sismember(this.#roomsOf(userId), room)) === 1
  }

  async roomsOf(userId: string): Promise<string[]> {
    return await this.client.smembers(this.#roomsOf(userId))
  }

  async refresh(userIds: readonly string[]): Promise<void> {
    await renewLeases(
      this.client,
      userIds.map((user) => this.#roomsOf(user)),
      this.leaseMs,
    )
  }

  #room(room: string): string {
    return `${this.prefix}room:${room}`
  }

  #roomsOf(userId: string): string {
    return `${this.prefix}rooms-of:${userId}`
  }
}
