import assert from 'node:assert/strict'
import { test } from 'node:test'
import { login, nextEvent, request, startServer } from './harness.js'

test('others see presence:online on login and presence:offline on disconnect', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const carol = connect({ userId: 'carol' })
  await login(alice)
  const aliceSeesCarol = nextEvent(alice, 'presence:online')
  await login(carol)
  assert.deepEqual(await aliceSeesCarol, { userId: 'carol' })

  const aliceSeesBob = nextEvent(alice, 'presence:online')
  const carolSeesBob = nextEvent(carol, 'presence:online')
  const bob = connect({ userId: 'bob' })
  await login(bob)
  assert.deepEqual(await aliceSeesBob, { userId: 'bob' })
  assert.deepEqual(await carolSeesBob, { userId: 'bob' })

  const aliceSeesBobLeave = nextEvent(alice, 'presence:offline')
  const carolSeesBobLeave = nextEvent(carol, 'presence:offline')
  bob.disconnect()
  assert.deepEqual(await aliceSeesBobLeave, { userId: 'bob' })
  assert.deepEqual(await carolSeesBobLeave, { userId: 'bob' })

  // Bob is gone for routing too.
  assert.deepEqual(await request(alice, 'link:request', { to: 'bob' }), {
    ok: false,
    code: 'peer-offline',
    message: 'bob is not online',
  })
})
