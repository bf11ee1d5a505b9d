import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_RELAY_TRANSFERS_PER_USER } from '../src/index.js'
import { login, startServer } from './harness.js'
import { chunk, cutOff, relay } from './relay-peers.js'

test('a sender relaying more transfers at once than the server tracks is cut off with too-many-tasks', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)
  const ended = cutOff(alice)
  // Ended transfers make room: these come and go without counting.
  for (let taskId = 1; taskId <= MAX_RELAY_TRANSFERS_PER_USER; taskId++) {
    relay(alice, 'bob', chunk(taskId, 0, 16))
    relay(alice, 'bob', { type: 'cancel', taskId, origin: 'sender' })
  }
  for (let taskId = 1001; taskId <= 1001 + MAX_RELAY_TRANSFERS_PER_USER; taskId++)
    relay(alice, 'bob', chunk(taskId, 0, 16))
  assert.equal((await ended).code, 'too-many-tasks')
})
