import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeFrame } from '@ferry/protocol'
import { MAX_RELAY_TRANSFERS_PER_USER } from '../src/index.js'
import { login, startServer } from './harness.js'
import { chunk, cutOff, decoded, relay, roundTrip, waitUntil } from './relay-peers.js'

test('a sender relaying more transfers at once than the server tracks is cut off with too-many-tasks', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  // Bob confirms every cancel of alice's, as a Ferry receiver does.
  bob.on('relay:frame', ({ from }, bytes) => {
    const frame = decoded(new Uint8Array(bytes))
    if (frame.type === 'cancel' && frame.origin === 'sender') {
      relay(bob, from, { type: 'cancel', taskId: frame.taskId, origin: 'receiver' })
    }
  })
  let confirmed = 0
  alice.on('relay:frame', (_, bytes) => {
    const frame = decoded(new Uint8Array(bytes))
    if (frame.type === 'cancel' && frame.origin === 'receiver') confirmed++
  })

  // Transfers the receiver confirmed ended make room: these come and go without counting.
  for (let taskId = 1; taskId <= MAX_RELAY_TRANSFERS_PER_USER; taskId++) {
    relay(alice, 'bob', chunk(taskId, 0, 16))
    relay(alice, 'bob', { type: 'cancel', taskId, origin: 'sender' })
  }
  await waitUntil(() => confirmed === MAX_RELAY_TRANSFERS_PER_USER, 'bob confirming every cancel')
  for (let taskId = 1001; taskId < 1001 + MAX_RELAY_TRANSFERS_PER_USER; taskId++)
    relay(alice, 'bob', chunk(taskId, 0, 16))
  const still = await roundTrip(alice, bob, 'bob', { type: 'end-ack', taskId: 7 })
  assert.deepEqual(still.bytes, encodeFrame({ type: 'end-ack', taskId: 7 }))

  // One more is one too many.
  const ended = cutOff(alice)
  relay(alice, 'bob', chunk(2001, 0, 16))
  assert.equal((await ended).code, 'too-many-tasks')
})
