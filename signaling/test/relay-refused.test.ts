import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeFrame } from '@ferry/protocol'
import { emitRaw, login, nextEvent, startServer } from './harness.js'
import { roundTrip } from './relay-peers.js'

const FRAME = encodeFrame({ type: 'end-ack', taskId: 1 })

test('a frame the relay cannot deliver comes back as relay:refused, and the sender stays connected', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  const refusals = [
    { to: 'nobody', code: 'peer-offline', message: 'nobody is not online' },
    { to: 'alice', code: 'invalid-target', message: 'cannot relay to oneself' },
    { to: 'not a user id!', code: 'invalid-target', message: 'to must be a user id' },
  ]
  for (const expected of refusals) {
    const refused = nextEvent(alice, 'relay:refused')
    alice.emit('relay:frame', { to: expected.to }, FRAME)
    assert.deepEqual(await refused, expected)
  }
  const refused = nextEvent(alice, 'relay:refused')
  emitRaw(alice, 'relay:frame', 'bob', FRAME)
  assert.deepEqual(await refused, { to: 'undefined', code: 'invalid-target', message: 'to must be a user id' })

  assert.ok(alice.connected)
  assert.deepEqual(await roundTrip(alice, bob, 'bob', { type: 'end-ack', taskId: 1 }), { from: 'alice', bytes: FRAME })
})
