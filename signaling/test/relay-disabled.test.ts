import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeFrame } from '@ferry/protocol'
import { DEFAULT_OFFER, login, nextEvent, startServer, withoutMediaKey } from './harness.js'

test('with relay off, session:ready says so and every relay frame is refused with no-route', async (t) => {
  const { connect } = await startServer(t, { relay: false })
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  assert.deepEqual(withoutMediaKey(await login(alice)), {
    userId: 'alice',
    online: [],
    iceServers: [],
    relay: false,
    media: DEFAULT_OFFER.media,
  })
  await login(bob)
  let bobGot = 0
  bob.on('relay:frame', () => bobGot++)

  for (let i = 0; i < 3; i++) {
    const refused = nextEvent(alice, 'relay:refused')
    alice.emit('relay:frame', { to: 'bob' }, encodeFrame({ type: 'ack', taskId: 1, received: i }))
    assert.deepEqual(await refused, { to: 'bob', code: 'no-route', message: 'this server does not relay' })
  }
  assert.ok(alice.connected)
  assert.equal(bobGot, 0)
})
