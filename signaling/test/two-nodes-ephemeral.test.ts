import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createShardedAdapter } from '@socket.io/redis-adapter'
import { Redis } from 'ioredis'
import { type RedisServer, startRedis } from '../../packages/devkit/redis-server.mjs'
import type { LimitSettings } from '../src/limits/limit-settings.js'
import type { RateStore } from '../src/limits/rate-store.js'
import { createSignalingServer, type SignalingServer } from '../src/server.js'
import { InMemorySessionStore } from '../src/session-store.js'
import { redisEphemeralState } from '../src/state/redis/redis-ephemeral.js'
import { memoryState } from '../src/state/server-state.js'
import { type Client, emitRaw, login, nextDisconnect, nextEvent, openClient, request } from './harness.js'
import { codeOf, join, members, send } from './rooms-support.js'

/**
 * Two server nodes in this process over one Redis: Socket.IO's sharded Redis adapter carries emits
 * between them, Redis holds rooms, presence, holders and rate buckets. (Sessions are one in-memory
 * store both nodes share, standing in for a shared session store.)
 */

let redis: RedisServer
let prefixes = 0

before(async () => {
  redis = await startRedis()
})
after(() => redis.stop())

async function startNodes(
  t: { after(fn: () => Promise<void>): void },
  limits: Partial<LimitSettings> = {},
): Promise<{ rates: RateStore; connect(node: number, userId: string): Client }> {
  const prefix = `nodes-${++prefixes}:`
  const clients: Client[] = []
  const redisClients: Redis[] = []
  const sessions = new InMemorySessionStore()
  const nodes: SignalingServer[] = []
  let rates: RateStore | undefined
  for (let i = 0; i < 2; i++) {
    const [commands, pub, sub] = [0, 1, 2].map(() => new Redis(redis.url))
    redisClients.push(commands!, pub!, sub!)
    const ephemeral = redisEphemeralState(commands!, prefix)
    rates ??= ephemeral.rates
    const node = await createSignalingServer({
      port: 0,
      media: false,
      limits,
      state: { ...memoryState(), sessions, ...ephemeral },
    })
    node.io.adapter(createShardedAdapter(pub, sub, { channelPrefix: `${prefix}io` }))
    nodes.push(node)
  }
  t.after(async () => {
    for (const client of clients) client.close()
    for (const node of nodes) await node.close()
    for (const client of redisClients) client.disconnect()
  })
  return {
    rates: rates!,
    connect(node, userId) {
      const client = openClient(nodes[node]!.url, { userId })
      clients.push(client)
      return client
    },
  }
}

test('users on two nodes share rooms and presence', async (t) => {
  const { connect } = await startNodes(t)
  const alice = connect(0, 'alice')
  await login(alice)
  assert.deepEqual(await request(alice, 'presence:subscribe', { users: ['bob'] }), { ok: true, online: [] })
  assert.equal((await join(alice, 'lobby')).ok, true)

  const online = nextEvent(alice, 'presence:online')
  const bob = connect(1, 'bob')
  await login(bob)
  assert.deepEqual(await online, { userId: 'bob' })

  const joined = nextEvent(alice, 'room:member')
  assert.deepEqual(await join(bob, 'lobby'), { ok: true, members: ['alice', 'bob'] })
  assert.deepEqual(await joined, { room: 'lobby', userId: 'bob', joined: true, count: 2 })
  assert.deepEqual(await members(alice, 'lobby'), { ok: true, members: ['alice', 'bob'] })

  const delivered = nextEvent(alice, 'message:deliver')
  assert.equal((await send(bob, { room: 'lobby' }, { type: 'text', text: 'across nodes' })).ok, true)
  assert.equal((await delivered).from, 'bob')

  const left = nextEvent(alice, 'room:member')
  const offline = nextEvent(alice, 'presence:offline')
  bob.close()
  assert.deepEqual(await left, { room: 'lobby', userId: 'bob', joined: false, count: 1 })
  assert.deepEqual(await offline, { userId: 'bob' })
  assert.deepEqual(await members(alice, 'lobby'), { ok: true, members: ['alice'] })
})

test('a full room is full on every node: one more is too-many-recipients', async (t) => {
  const { connect } = await startNodes(t, { maxRoomMembers: 2 })
  const users = ['a1', 'b1', 'a2'].map((user, i) => connect(i % 2, user))
  for (const user of users) await login(user)
  assert.equal((await join(users[0]!, 'small')).ok, true)
  assert.equal((await join(users[1]!, 'small')).ok, true)
  assert.equal(codeOf(await join(users[2]!, 'small')), 'too-many-recipients')
})

/** A budget that refills one token every ~17 minutes: none within a test. */
const tiny = (burst: number) => ({ perSecond: 0.001, burst })

test('signal and event budgets follow a user who reconnects to the other node', async (t) => {
  const { rates, connect } = await startNodes(t, { signals: tiny(3), events: tiny(20) })
  const first = connect(0, 'alice')
  await login(first)
  for (let i = 0; i < 3; i++)
    assert.equal(codeOf(await request(first, 'link:request', { to: 'nobody' })), 'peer-offline')
  assert.equal(codeOf(await request(first, 'link:request', { to: 'nobody' })), 'rate-limited')
  // Four events spent here; the node hands the rest over when alice leaves it.
  const gone = nextDisconnect(first)
  first.close()
  await gone
  const rate = { perSecond: 0.001, burst: 20 }
  while ((await rates.peek('events', 'alice', rate)) > 16.01) await sleep(5)

  const second = connect(1, 'alice')
  await login(second)
  assert.equal(codeOf(await request(second, 'link:request', { to: 'nobody' })), 'rate-limited', 'signals')
  // 15 events are left after that one: the 16th ends the session, as it would have on the first node.
  const cut = nextEvent(second, 'session:ended')
  for (let i = 0; i < 16; i++) emitRaw(second, 'room:members', { room: 'lobby' })
  assert.equal((await cut).code, 'rate-limited')
})
