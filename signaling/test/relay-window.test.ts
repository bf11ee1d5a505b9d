import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type ChunkFrame, encodeFrame, RELAY_WINDOW_LIMIT_BYTES } from '@ferry/protocol'
import { login, startServer } from './harness.js'
import {
  CHUNK_DATA_BYTES,
  chunk,
  cutOff,
  decoded,
  nextOf,
  relay,
  relayedTo,
  roundTrip,
  waitUntil,
} from './relay-peers.js'

test('a sender that runs more than a window ahead of the acks is cut off with window-exceeded; others carry on', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  // Bob follows alice, to see her session end.
  const bob = connect({ userId: 'bob', presence: ['alice'] })
  const carol = connect({ userId: 'carol' })
  const dave = connect({ userId: 'dave' })
  for (const client of [alice, bob, carol, dave]) await login(client)
  const atBob = relayedTo(bob)
  const atDave = relayedTo(dave)

  // Carol sends to dave within the window the whole time, dave acking as data arrives.
  dave.on('relay:frame', ({ from }, bytes) => {
    const frame = decoded(new Uint8Array(bytes))
    if (frame.type === 'chunk') {
      relay(dave, from, { type: 'ack', taskId: frame.taskId, received: frame.offset + frame.data.length })
    }
  })

  // Bob never acks, and alice ignores that: twice the window, all at once.
  const ended = cutOff(alice)
  const offline = nextOf(bob, 'presence:offline')
  const chunks = (2 * RELAY_WINDOW_LIMIT_BYTES) / CHUNK_DATA_BYTES
  const carolChunks = 32
  for (let i = 0; i < chunks; i++) {
    relay(alice, 'bob', chunk(1, i * CHUNK_DATA_BYTES))
    if (i < carolChunks) relay(carol, 'dave', chunk(1, i * CHUNK_DATA_BYTES))
  }
  const { code, message, reason } = await ended
  assert.equal(code, 'window-exceeded')
  assert.match(message, /unacknowledged/)
  assert.equal(reason, 'io server disconnect')
  assert.deepEqual(await offline, { userId: 'alice' })

  // Bob got exactly the window's worth: every frame up to the limit, none after it.
  const received = (): number => atBob.reduce((sum, { bytes }) => sum + (decoded(bytes) as ChunkFrame).data.length, 0)
  await waitUntil(() => received() === RELAY_WINDOW_LIMIT_BYTES, 'bob receiving a window')
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.equal(received(), RELAY_WINDOW_LIMIT_BYTES)

  // Carol's transfer was never disturbed, and bob still relays.
  await waitUntil(() => atDave.length === carolChunks, 'dave receiving every chunk from carol')
  const last = decoded(atDave.at(-1)!.bytes) as ChunkFrame
  assert.equal(last.offset, (carolChunks - 1) * CHUNK_DATA_BYTES)
  const fromBob = await roundTrip(bob, carol, 'carol', { type: 'end-ack', taskId: 1 })
  assert.deepEqual(fromBob.bytes, encodeFrame({ type: 'end-ack', taskId: 1 }))
})
