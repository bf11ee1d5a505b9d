import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { FerryError } from '@ferry/protocol'
import { Redis } from 'ioredis'
import { type RedisServer, startRedis } from '../../packages/devkit/redis-server.mjs'
import { InMemoryRateStore } from '../src/limits/rate-store.js'
import { InMemoryHolderStore } from '../src/media-holders/holder-store.js'
import { InMemoryPresenceStore } from '../src/presence/presence-store.js'
import { InMemoryRoomStore } from '../src/rooms/room-store.js'
import { RedisRateStore } from '../src/state/redis/redis-buckets.js'
import type { EphemeralState } from '../src/state/redis/redis-ephemeral.js'
import { RedisHolderStore } from '../src/state/redis/redis-holders.js'
import { RedisPresenceStore } from '../src/state/redis/redis-presence.js'
import { RedisRoomStore } from '../src/state/redis/redis-rooms.js'

/**
 * One behaviour, two stores: every case runs against the in-memory stores and the Redis ones (a real
 * redis-server), each case in a fresh prefix.
 */

const CAPS = { maxRoomsPerUser: 3, maxMembers: 3 }
/** A rate that refills about one token every 17 minutes: none within a test. */
const SLOW = { perSecond: 0.001, burst: 5 }
const MEDIA = 'A'.repeat(32)
const OTHER = 'B'.repeat(32)
const THIRD = 'C'.repeat(32)

interface Stores extends EphemeralState {
  /** Makes every entry of `userId` expire as if its node had stopped refreshing it (Redis only). */
  expire?(userId: string): Promise<void>
}

let redis: RedisServer
let client: Redis
let prefixes = 0

before(async () => {
  redis = await startRedis()
  client = new Redis(redis.url, { lazyConnect: true })
  await client.connect()
})
after(async () => {
  client.disconnect()
  await redis.stop()
})

const kinds: [string, () => Stores][] = [
  [
    'in memory',
    () => ({
      rooms: new InMemoryRoomStore(),
      presence: new InMemoryPresenceStore(),
      holders: new InMemoryHolderStore(2),
      rates: new InMemoryRateStore(),
    }),
  ],
  [
    'in Redis',
    () => {
      const prefix = `test-${++prefixes}:`
      return {
        rooms: new RedisRoomStore(client, prefix),
        presence: new RedisPresenceStore(client, prefix),
        holders: new RedisHolderStore(client, prefix, 2),
        rates: new RedisRateStore(client, prefix),
        async expire(userId) {
          // What a lease running out does: the user's own keys go.
          await client.del(`${prefix}rooms-of:${userId}`, `${prefix}watching:${userId}`, `${prefix}held:${userId}`)
        },
      }
    },
  ],
]

async function refused(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof FerryError && error.code === code)
}

for (const [kind, make] of kinds) {
  describe(`rooms ${kind}`, () => {
    test('joins list members in join order; a second join adds nothing; leaving tells who stays', async () => {
      const { rooms } = make()
      assert.deepEqual(await rooms.join('alice', 'lobby', CAPS), { added: true, members: ['alice'] })
      assert.deepEqual(await rooms.join('bob', 'lobby', CAPS), { added: true, members: ['alice', 'bob'] })
      assert.deepEqual(await rooms.join('alice', 'lobby', CAPS), { added: false, members: ['alice', 'bob'] })
      assert.equal(await rooms.isMember('bob', 'lobby'), true)
      assert.equal(await rooms.isMember('carol', 'lobby'), false)
      assert.deepEqual(await rooms.leave('alice', 'lobby'), ['bob'])
      assert.equal(await rooms.leave('alice', 'lobby'), undefined)
      assert.deepEqual(await rooms.leave('bob', 'lobby'), [])
      assert.deepEqual(await rooms.membersOf('lobby'), [])
    })

    test('leaving every room lists each with who stays, and leaves nothing behind', async () => {
      const { rooms } = make()
      for (const room of ['a', 'b']) await rooms.join('alice', room, CAPS)
      await rooms.join('bob', 'a', CAPS)
      assert.deepEqual((await rooms.roomsOf('alice')).sort(), ['a', 'b'])
      const left = await rooms.leaveAll('alice')
      assert.deepEqual(
        left.sort((x, y) => x.room.localeCompare(y.room)),
        [
          { room: 'a', members: ['bob'] },
          { room: 'b', members: [] },
        ],
      )
      assert.deepEqual(await rooms.roomsOf('alice'), [])
      assert.deepEqual(await rooms.membersOf('b'), [])
      assert.deepEqual(await rooms.leaveAll('alice'), [])
    })

    test('past the rooms per user or the members per room, a join is too-many-recipients and changes nothing', async () => {
      const { rooms } = make()
      for (const room of ['a', 'b', 'c']) await rooms.join('alice', room, CAPS)
      await refused(rooms.join('alice', 'd', CAPS), 'too-many-recipients')
      assert.deepEqual(await rooms.membersOf('d'), [])
      assert.equal((await rooms.roomsOf('alice')).length, 3)
      for (const user of ['bob', 'carol']) await rooms.join(user, 'a', CAPS)
      await refused(rooms.join('dave', 'a', CAPS), 'too-many-recipients')
      assert.deepEqual(await rooms.membersOf('a'), ['alice', 'bob', 'carol'])
      assert.deepEqual(await rooms.roomsOf('dave'), [])
    })

    test('refreshed members stay; a member whose lease ran out stops counting, and frees its place', async (t) => {
      const stores = make()
      const { rooms } = stores
      for (const user of ['alice', 'bob', 'carol']) await rooms.join(user, 'a', CAPS)
      await rooms.refresh(['alice', 'bob', 'carol'])
      assert.deepEqual(await rooms.membersOf('a'), ['alice', 'bob', 'carol'])
      if (!stores.expire) return t.skip('a store of one process has no leases')
      await stores.expire('bob')
      assert.deepEqual(await rooms.membersOf('a'), ['alice', 'carol'])
      assert.equal(await rooms.isMember('bob', 'a'), false)
      assert.deepEqual(await rooms.join('dave', 'a', CAPS), { added: true, members: ['alice', 'carol', 'dave'] })
    })
  })

  describe(`presence ${kind}`, () => {
    test('subscriptions are followed both ways, skip oneself and repeats, and end with forget', async () => {
      const { presence } = make()
      await presence.subscribe('alice', ['bob', 'carol', 'alice', 'bob'], 10)
      await presence.subscribe('dave', ['bob'], 10)
      assert.deepEqual((await presence.followedBy('alice')).sort(), ['bob', 'carol'])
      assert.deepEqual((await presence.watchersOf('bob')).sort(), ['alice', 'dave'])
      await presence.unsubscribe('alice', ['bob', 'zed'])
      assert.deepEqual(await presence.watchersOf('bob'), ['dave'])
      await presence.forget('alice')
      assert.deepEqual(await presence.followedBy('alice'), [])
      assert.deepEqual(await presence.watchersOf('carol'), [])
    })

    test('following more than the cap is too-many-recipients, all or nothing', async () => {
      const { presence } = make()
      await presence.subscribe('alice', ['u1', 'u2'], 3)
      await refused(presence.subscribe('alice', ['u2', 'u3', 'u4'], 3), 'too-many-recipients')
      assert.deepEqual((await presence.followedBy('alice')).sort(), ['u1', 'u2'])
      assert.deepEqual(await presence.watchersOf('u3'), [])
      await presence.subscribe('alice', ['u2', 'u3'], 3)
      assert.equal((await presence.followedBy('alice')).length, 3)
    })

    test('a watcher whose lease ran out is no longer told', async (t) => {
      const stores = make()
      await stores.presence.subscribe('alice', ['bob'], 10)
      await stores.presence.subscribe('carol', ['bob'], 10)
      await stores.presence.refresh(['alice', 'carol'])
      assert.deepEqual((await stores.presence.watchersOf('bob')).sort(), ['alice', 'carol'])
      if (!stores.expire) return t.skip('a store of one process has no leases')
      await stores.expire('alice')
      assert.deepEqual(await stores.presence.watchersOf('bob'), ['carol'])
    })
  })

  describe(`media holders ${kind}`, () => {
    test('a user is remembered to hold at most the most recent media they announced', async () => {
      const { holders } = make()
      await holders.have('alice', MEDIA)
      await holders.have('alice', OTHER)
      await holders.have('bob', MEDIA)
      await holders.have('alice', MEDIA) // most recent again, so OTHER is now alice's oldest
      await holders.have('alice', THIRD)
      assert.deepEqual(await holders.heldBy('alice'), [THIRD, MEDIA])
      assert.deepEqual(await holders.holdersOf(OTHER), [])
      assert.deepEqual(await holders.holdersOf(MEDIA), ['alice', 'bob'])
      await holders.forget('alice')
      assert.deepEqual(await holders.holdersOf(MEDIA), ['bob'])
      assert.deepEqual(await holders.holdersOf(THIRD), [])
      assert.deepEqual(await holders.heldBy('alice'), [])
    })

    test('a holder whose lease ran out is not listed', async (t) => {
      const stores = make()
      await stores.holders.have('alice', MEDIA)
      await stores.holders.have('bob', MEDIA)
      await stores.holders.refresh(['alice', 'bob'])
      assert.deepEqual(await stores.holders.holdersOf(MEDIA), ['bob', 'alice'])
      if (!stores.expire) return t.skip('a store of one process has no leases')
      await stores.expire('bob')
      assert.deepEqual(await stores.holders.holdersOf(MEDIA), ['alice'])
    })
  })

  describe(`rate buckets ${kind}`, () => {
    test('a bucket gives its burst, then refuses; each key and bucket name has its own', async () => {
      const { rates } = make()
      assert.equal(await rates.take('signals', 'alice', SLOW, 3), true)
      assert.equal(await rates.take('signals', 'alice', SLOW, 3), false, 'all or none')
      assert.equal(await rates.take('signals', 'alice', SLOW, 2), true)
      assert.equal(await rates.take('signals', 'alice', SLOW, 1), false)
      assert.equal(await rates.take('signals', 'bob', SLOW, 5), true)
      assert.equal(await rates.take('rooms', 'alice', SLOW, 1), true)
      assert.equal(await rates.take('signals', 'carol', SLOW, 6), false, 'more than the burst never')
    })

    test('what is put is what the next node finds, never more than the burst', async () => {
      const { rates } = make()
      assert.equal(await rates.peek('events', 'alice', SLOW), 5)
      await rates.put('events', 'alice', SLOW, 2)
      const left = await rates.peek('events', 'alice', SLOW)
      assert.ok(left >= 2 && left < 2.01, `${left} tokens`)
      assert.equal(await rates.take('events', 'alice', SLOW, 3), false)
      assert.equal(await rates.take('events', 'alice', SLOW, 2), true)
      await rates.put('events', 'bob', SLOW, 99)
      assert.equal(await rates.peek('events', 'bob', SLOW), 5)
    })
  })
}

test('Redis leases: keys a node stopped refreshing expire by themselves', async () => {
  const prefix = `test-${++prefixes}:`
  const rooms = new RedisRoomStore(client, prefix, 1)
  await rooms.join('ghost', 'hall', CAPS)
  while ((await client.exists(`${prefix}rooms-of:ghost`)) === 1) await sleep(5)
  assert.deepEqual(await rooms.membersOf('hall'), [])
  assert.deepEqual(await client.keys(`${prefix}room:*`), [], 'the emptied room is gone too')
})
