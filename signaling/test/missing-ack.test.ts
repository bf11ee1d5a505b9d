import assert from 'node:assert/strict'
import { test } from 'node:test'
import { emitRaw, LINK, login, nextEvent, request, startServer } from './harness.js'

test('requests without an ack function are still processed and never crash the server', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  // Malformed, offline, and not-a-function acks: nothing to answer, nothing to crash.
  emitRaw(alice, 'link:request')
  emitRaw(alice, 'link:request', 42)
  emitRaw(alice, 'link:signal', { to: 'nobody', link: LINK, data: {} })
  emitRaw(alice, 'link:signal', { to: 'bob', link: LINK, data: {} }, 'not-a-function')
  emitRaw(alice, 'unknown:event', { to: 'bob' })

  // A valid request without an ack still reaches its target.
  const requested = nextEvent(bob, 'link:request')
  emitRaw(alice, 'link:request', { to: 'bob' })
  assert.deepEqual(await requested, { from: 'alice' })

  // And the same socket still gets answers.
  assert.deepEqual(await request(alice, 'link:request', { to: 'bob' }), { ok: true })
})
