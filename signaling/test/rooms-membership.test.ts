import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_ROOMS_PER_CLIENT } from '@ferry/protocol'
import { nextEvent, recordEvents, requestRaw, startServer } from './harness.js'
import { codeOf, join, loggedIn, members, send } from './rooms-support.js'

test('joining and leaving a room: members are listed, and the others are told', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice, bob, carol } = await loggedIn(connect, 'alice', 'bob', 'carol')

  assert.deepEqual(await join(alice, 'lobby'), { ok: true, members: ['alice'] })
  const bobJoined = nextEvent(alice, 'room:member')
  assert.deepEqual(await join(bob, 'lobby'), { ok: true, members: ['alice', 'bob'] })
  assert.deepEqual(await bobJoined, { room: 'lobby', userId: 'bob', joined: true, count: 2 })
  assert.deepEqual(await members(alice, 'lobby'), { ok: true, members: ['alice', 'bob'] })

  // Joining again changes nothing and tells nobody.
  const aliceSaw = recordEvents(alice)
  assert.deepEqual(await join(bob, 'lobby'), { ok: true, members: ['alice', 'bob'] })

  assert.equal(codeOf(await members(carol, 'lobby')), 'not-a-member')
  assert.equal(codeOf(await members(carol, 'nowhere')), 'not-a-member')

  const bobLeft = nextEvent(alice, 'room:member')
  assert.deepEqual(await requestRaw(bob, 'room:leave', { room: 'lobby' }), { ok: true })
  assert.deepEqual(await bobLeft, { room: 'lobby', userId: 'bob', joined: false, count: 1 })
  assert.deepEqual(
    aliceSaw.map((event) => event.name),
    ['room:member'],
    'only the leave was announced',
  )
  assert.equal(codeOf(await members(bob, 'lobby')), 'not-a-member')
  assert.deepEqual(await requestRaw(bob, 'room:leave', { room: 'lobby' }), { ok: true }, 'leaving again is fine')
  assert.deepEqual(await server.rooms.membersOf('lobby'), ['alice'])
})

test('a user may be in MAX_ROOMS_PER_CLIENT rooms; one more is refused with too-many-recipients', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice } = await loggedIn(connect, 'alice')
  for (let i = 1; i <= MAX_ROOMS_PER_CLIENT; i++) {
    assert.equal((await join(alice, `room-${i}`)).ok, true, `room-${i}`)
  }
  assert.equal(codeOf(await join(alice, `room-${MAX_ROOMS_PER_CLIENT + 1}`)), 'too-many-recipients')
  assert.equal((await server.rooms.roomsOf('alice')).length, MAX_ROOMS_PER_CLIENT)
  assert.equal((await join(alice, 'room-1')).ok, true, 'a room already joined is not one more')
  assert.deepEqual(await requestRaw(alice, 'room:leave', { room: 'room-1' }), { ok: true })
  assert.equal((await join(alice, `room-${MAX_ROOMS_PER_CLIENT + 1}`)).ok, true, 'after leaving one, there is room')
})

test('malformed room requests are refused with invalid-argument', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice } = await loggedIn(connect, 'alice')
  const bad: unknown[] = [
    undefined,
    42,
    'lobby',
    null,
    ['lobby'],
    {},
    { room: '' },
    { room: 'a b' },
    { room: 'x'.repeat(65) },
  ]
  for (const event of ['room:join', 'room:leave', 'room:members']) {
    for (const msg of bad) {
      assert.equal(codeOf(await requestRaw(alice, event, msg)), 'invalid-argument', `${event} ${JSON.stringify(msg)}`)
    }
  }
  assert.deepEqual(await server.rooms.roomsOf('alice'), [])
})

test('a room holds at most maxRoomMembers; one more is refused with too-many-recipients', async (t) => {
  const { connect, server } = await startServer(t, { limits: { maxRoomMembers: 2 } })
  const { alice, bob, carol } = await loggedIn(connect, 'alice', 'bob', 'carol')
  assert.equal((await join(alice, 'small')).ok, true)
  assert.equal((await join(bob, 'small')).ok, true)
  assert.equal(codeOf(await join(carol, 'small')), 'too-many-recipients')
  assert.deepEqual(await server.rooms.membersOf('small'), ['alice', 'bob'])
  assert.deepEqual(await requestRaw(bob, 'room:leave', { room: 'small' }), { ok: true })
  assert.deepEqual(await join(carol, 'small'), { ok: true, members: ['alice', 'carol'] })
})

test('room messages take one fan-out token per recipient; past the budget they are rate-limited', async (t) => {
  const { connect } = await startServer(t, { limits: { fanout: { perSecond: 0.001, burst: 5 } } })
  const { alice, bob, carol, dave } = await loggedIn(connect, 'alice', 'bob', 'carol', 'dave')
  for (const client of [alice, bob, carol, dave]) assert.equal((await join(client, 'lobby')).ok, true)
  const text = { type: 'text', text: 'hi' } as const
  assert.equal((await send(alice, { room: 'lobby' }, text)).ok, true, 'three recipients of five tokens')
  assert.equal(codeOf(await send(alice, { room: 'lobby' }, text)), 'rate-limited')
  assert.equal((await send(bob, { room: 'lobby' }, text)).ok, true, 'the budget is per sender')
})
