import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startRedis } from '../../../packages/devkit/redis-server.mjs'
import { reapDeadNodes } from '../../src/state/redis/dead-nodes.js'
import { closeRedis, connectRedis } from '../../src/state/redis/redis-connection.js'
import { RedisKeys } from '../../src/state/redis/redis-keys.js'
import { redisState } from '../../src/state/redis/redis-state.js'

const PREFIX = 'dead-nodes:'

test('a dead node is swept once: its users who did not log in elsewhere lose their sessions, the others and live nodes keep theirs', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  const [dead, live, other] = [0, 1, 2].map(() => redisState({ url: redis.url, prefix: PREFIX })) as [
    ReturnType<typeof redisState>,
    ReturnType<typeof redisState>,
    ReturnType<typeof redisState>,
  ]
  t.after(() => Promise.all([live.close(), other.close()]))
  await Promise.all([dead.started, live.started, other.started])
  const sweepers = [
    connectRedis(redis.url, { info() {}, warn() {} }, 'test'),
    connectRedis(redis.url, { info() {}, warn() {} }, 'test'),
  ]
  t.after(() => Promise.all(sweepers.map(closeRedis)))
  const keys = new RedisKeys(PREFIX)

  await dead.sessions.claim('alice', 'socket-a1')
  await dead.sessions.claim('bob', 'socket-b1')
  await dead.sessions.claim('erin', 'socket-e1')
  await dead.sessions.release('erin', 'socket-e1')
  await live.sessions.claim('carol', 'socket-c1')
  // Both nodes alive: nothing to sweep.
  assert.deepEqual(await reapDeadNodes(sweepers[0]!, keys, live.nodeId), [])

  await dead.close()
  // alice logged in on the live node before the sweep: her new session stays.
  await live.sessions.claim('alice', 'socket-a2')
  const [first, second] = await Promise.all([
    reapDeadNodes(sweepers[0]!, keys, live.nodeId),
    reapDeadNodes(sweepers[1]!, keys, other.nodeId),
  ])
  assert.deepEqual([...first, ...second], ['bob'], 'bob once, by one sweeper')
  assert.deepEqual((await live.sessions.list()).sort(), ['alice', 'carol'])
  assert.equal(await live.sessions.owner('alice'), 'socket-a2')
  assert.equal(await sweepers[0]!.hexists(keys.sessions(), 'bob'), 0, 'the dead session is removed, not only hidden')
  assert.deepEqual((await sweepers[0]!.smembers(keys.nodes())).sort(), [live.nodeId, other.nodeId].sort())
  assert.equal(await sweepers[0]!.exists(keys.nodeUsers(dead.nodeId)), 0)
  assert.deepEqual(await reapDeadNodes(sweepers[0]!, keys, live.nodeId), [], 'a node is swept once')
})
