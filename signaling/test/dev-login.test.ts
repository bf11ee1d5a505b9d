import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_OFFER, login, startServer, withoutMediaKey } from './harness.js'

test('dev mode logs a client in as its auth.userId and lists those it follows that are online', async (t) => {
  const { connect } = await startServer(t)

  const alice = connect({ userId: 'alice' })
  assert.deepEqual(withoutMediaKey(await login(alice)), { userId: 'alice', online: [], ...DEFAULT_OFFER })

  const bob = connect({ userId: 'bob', presence: ['alice', 'dave'] })
  assert.deepEqual(withoutMediaKey(await login(bob)), { userId: 'bob', online: ['alice'], ...DEFAULT_OFFER })

  const carol = connect({ userId: 'carol@example.com', presence: ['alice', 'bob', 'carol@example.com'] })
  const ready = await login(carol)
  assert.equal(ready.userId, 'carol@example.com')
  assert.deepEqual([...ready.online].sort(), ['alice', 'bob'])
})
