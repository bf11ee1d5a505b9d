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
  ]
  for (const expected of refusals) {
    const refused = nextEvent(alice, 'relay:refused')
    alice.emit('relay:frame', { to: expected.to }, FRAME)
    assert.deepEqual(await refused, expected)
  }
  assert.ok(alice.connected)
  assert.deepEqual(await roundTrip(alice, bob, 'bob', { type: 'end-ack', taskId: 1 }), { from: 'alice', bytes: FRAME })
})

test('a relay frame whose target is not a user id gets the sender cut off with invalid-argument', async (t) => {
  const { connect } = await startServer(t)
  const bob = connect({ userId: 'bob' })
  await login(bob)
  for (const target of [{ to: 'not a user id!' }, 'bob', { to: { toString: 1 } }, { to: ['bob'] }, null]) {
    const mallory = connect({ userId: 'mallory' })
    await login(mallory)
    const ended = nextEvent(mallory, 'session:ended')
    emitRaw(mallory, 'relay:frame', target, FRAME)
    assert.equal((await ended).code, 'invalid-argument', JSON.stringify(target))
    mallory.close()
  }
  const alice = connect({ userId: 'alice' })
  await login(alice)
  assert.deepEqual(await roundTrip(alice, bob, 'bob', { type: 'end-ack', taskId: 1 }), { from: 'alice', bytes: FRAME })
})
