import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_PRESENCE_SUBSCRIPTIONS } from '@ferry/protocol'
import { login, nextEvent, recordEvents, request, requestRaw, startServer, withTimeout } from './harness.js'

test('a user follows the presence of whom it subscribed to, and only them', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const carol = connect({ userId: 'carol' })
  await login(alice)
  await login(carol)
  const carolSaw = recordEvents(carol)

  assert.deepEqual(await requestRaw(alice, 'presence:subscribe', { users: ['bob', 'carol', 'alice'] }), {
    ok: true,
    online: ['carol'],
  })

  const aliceSeesBob = nextEvent(alice, 'presence:online')
  const bob = connect({ userId: 'bob' })
  await login(bob)
  assert.deepEqual(await aliceSeesBob, { userId: 'bob' })

  const aliceSeesBobLeave = nextEvent(alice, 'presence:offline')
  bob.disconnect()
  assert.deepEqual(await aliceSeesBobLeave, { userId: 'bob' })

  // Carol follows nobody: bob coming and going cost her nothing.
  assert.deepEqual(carolSaw, [])

  // Bob is gone for routing too.
  assert.deepEqual(await request(alice, 'link:request', { to: 'bob' }), {
    ok: false,
    code: 'peer-offline',
    message: 'bob is not online',
  })
})

test('the handshake names whom to follow, and session:ready says which of them are online', async (t) => {
  const { connect } = await startServer(t)
  const carol = connect({ userId: 'carol' })
  await login(carol)
  const alice = connect({ userId: 'alice', presence: ['carol', 'dave', 'alice'] })
  const ready = await login(alice)
  assert.deepEqual(ready.online, ['carol'])

  const aliceSeesDave = nextEvent(alice, 'presence:online')
  const dave = connect({ userId: 'dave' })
  await login(dave)
  assert.deepEqual(await aliceSeesDave, { userId: 'dave' })
})

test('unsubscribing stops the events; subscriptions end with the session', async (t) => {
  const { connect } = await startServer(t, {})
  const alice = connect({ userId: 'alice', presence: ['bob'] })
  await login(alice)
  assert.deepEqual(await requestRaw(alice, 'presence:unsubscribe', { users: ['bob'] }), { ok: true })
  const aliceSaw = recordEvents(alice)
  const bob = connect({ userId: 'bob', presence: ['alice'] })
  await login(bob)
  // A round trip after bob's login: any presence event for alice would have come before its answer.
  await requestRaw(alice, 'presence:subscribe', { users: [] })
  assert.deepEqual(
    aliceSaw.filter((e) => e.name.startsWith('presence:')),
    [],
  )

  // Alice leaves and comes back without naming bob: bob's later moves are not hers to see.
  const bobSeesAliceLeave = nextEvent(bob, 'presence:offline')
  alice.disconnect()
  assert.deepEqual(await bobSeesAliceLeave, { userId: 'alice' })
  const again = connect({ userId: 'alice' })
  const bobSeesAlice = nextEvent(bob, 'presence:online')
  await login(again)
  assert.deepEqual(await bobSeesAlice, { userId: 'alice' })
  const againSaw = recordEvents(again)
  bob.disconnect()
  await requestRaw(again, 'presence:subscribe', { users: [] })
  assert.deepEqual(againSaw, [])
})

test('a user follows at most MAX_PRESENCE_SUBSCRIPTIONS users; one list past it changes nothing', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  await login(alice)
  const users = Array.from({ length: MAX_PRESENCE_SUBSCRIPTIONS }, (_, i) => `user-${i}`)
  assert.deepEqual(await requestRaw(alice, 'presence:subscribe', { users }), { ok: true, online: [] })
  const past = (await requestRaw(alice, 'presence:subscribe', { users: ['one-more'] })) as { code?: string }
  assert.equal(past.code, 'too-many-recipients')
  const tooLong = (await requestRaw(alice, 'presence:subscribe', { users: [...users, 'x'] })) as { code?: string }
  assert.equal(tooLong.code, 'invalid-argument')

  // Following the same users again is fine: nothing new.
  assert.deepEqual(await requestRaw(alice, 'presence:subscribe', { users: users.slice(0, 5) }), {
    ok: true,
    online: [],
  })
  const bob = connect({ userId: 'user-7' })
  const seen = nextEvent(alice, 'presence:online')
  await login(bob)
  assert.deepEqual(await withTimeout(seen, 'presence of a followed user'), { userId: 'user-7' })
})
