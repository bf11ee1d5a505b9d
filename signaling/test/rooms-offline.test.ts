import assert from 'node:assert/strict'
import { test } from 'node:test'
import { login, nextDisconnect, nextEvent, recordEvents, request, startServer } from './harness.js'
import { join, loggedIn, send } from './rooms-support.js'

test('a user who goes offline leaves every room, and the members are told', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice, bob, carol } = await loggedIn(connect, 'alice', 'bob', 'carol')
  for (const member of [alice, bob]) assert.equal((await join(member, 'team')).ok, true)
  for (const member of [alice, carol]) assert.equal((await join(member, 'side')).ok, true)

  const bobSaw = nextEvent(bob, 'room:member')
  const carolSaw = nextEvent(carol, 'room:member')
  alice.close()
  assert.deepEqual(await bobSaw, { room: 'team', userId: 'alice', joined: false, count: 1 })
  assert.deepEqual(await carolSaw, { room: 'side', userId: 'alice', joined: false, count: 1 })
  assert.deepEqual(await server.rooms.roomsOf('alice'), [])
  assert.deepEqual(await server.rooms.membersOf('team'), ['bob'])
  assert.deepEqual(await server.rooms.membersOf('side'), ['carol'])
})

test('a session replaced by a newer login keeps its rooms', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice, bob } = await loggedIn(connect, 'alice', 'bob')
  for (const member of [alice, bob]) assert.equal((await join(member, 'team')).ok, true)
  const aliceSaw = recordEvents(alice)

  const gone = nextDisconnect(bob)
  const again = connect({ userId: 'bob' })
  await login(again)
  await gone

  // Bob's new session is still a member: it sends without joining again, and alice hears it.
  const delivered = nextEvent(alice, 'message:deliver')
  assert.ok((await send(again, { room: 'team' }, { type: 'text', text: 'still here' })).ok)
  assert.equal((await delivered).from, 'bob')
  // The old socket's leaving would have been announced before this request reaches alice.
  const requested = nextEvent(alice, 'link:request')
  assert.deepEqual(await request(again, 'link:request', { to: 'alice' }), { ok: true })
  await requested
  assert.deepEqual(
    aliceSaw.map((event) => event.name),
    ['message:deliver', 'link:request'],
    'no room:member joined:false',
  )
  assert.deepEqual(await server.rooms.membersOf('team'), ['alice', 'bob'])
})
