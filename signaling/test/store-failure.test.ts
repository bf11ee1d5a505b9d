import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InMemorySessionStore } from '../src/index.js'
import { login, request, startServer } from './harness.js'

/** A store whose lookups fail, as a shared store might while its backend is down. */
class FlakyStore extends InMemorySessionStore {
  failing = false

  override async isOnline(userId: string): Promise<boolean> {
    if (this.failing) throw new Error('store unavailable')
    return super.isOnline(userId)
  }
}

test('a handler that throws answers unknown and the server keeps serving', async (t) => {
  const store = new FlakyStore()
  const { connect } = await startServer(t, { sessionStore: store })
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  store.failing = true
  const failed = await request(alice, 'link:request', { to: 'bob' })
  assert.equal(failed.ok === false && failed.code, 'unknown')

  store.failing = false
  assert.deepEqual(await request(alice, 'link:request', { to: 'bob' }), { ok: true })
})
