import type { Redis } from 'ioredis'
import { LuaScript, stringList } from './lua-script.js'
import type { RedisKeys } from './redis-keys.js'

/**
 * Takes a dead node's users: when the node's key (KEYS[3]) is gone and this caller is the one that
 * takes it out of `nodes` (KEYS[1]), every user in its set (KEYS[2]) whose session (in KEYS[4]) still
 * names the node loses it, and the set goes. Users who logged in again elsewhere keep their new
 * session. Returns the users taken, or nothing when the node is alive or another node took it first.
 * ARGV: node id.
 */
const REAP = new LuaScript(
  `if redis.call('EXISTS', KEYS[3]) == 1 then return {} end
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return {} end
local gone = {}
local prefix = ARGV[1] .. ' '
for _, user in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local value = redis.call('HGET', KEYS[4], user)
  if value and string.sub(value, 1, #prefix) == prefix then
    redis.call('HDEL', KEYS[4], user)
    gone[#gone + 1] = user
  end
end
redis.call('DEL', KEYS[2])
return gone`,
  4,
)

/**
 * Every node in `nodes` but `selfId` whose heartbeat lapsed: its users that did not log in again
 * elsewhere, their sessions removed. Each dead node is taken by one caller only, whichever node sweeps
 * first, so each user comes back from one sweep at most.
 */
export async function reapDeadNodes(redis: Redis, keys: RedisKeys, selfId: string): Promise<string[]> {
  const gone: string[] = []
  for (const nodeId of await redis.smembers(keys.nodes())) {
    if (nodeId === selfId) continue
    const users = await REAP.run(
      redis,
      [keys.nodes(), keys.nodeUsers(nodeId), keys.node(nodeId), keys.sessions()],
      [nodeId],
    )
    gone.push(...stringList(users))
  }
  return gone
}
