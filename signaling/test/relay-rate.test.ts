import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CHUNK_HEADER_BYTES, encodeFrame } from '@ferry/protocol'
import { RELAY_BURST_SECONDS } from '../src/index.js'
import { login, startServer } from './harness.js'
import { CHUNK_DATA_BYTES, chunk, cutOff, relay, relayedTo, roundTrip, waitUntil } from './relay-peers.js'

/** Four chunk frames a second, bursts of eight: a burst of sixteen breaks it at once. */
const RATE_BYTES_PER_SECOND = 4 * (CHUNK_DATA_BYTES + CHUNK_HEADER_BYTES)

test('a user relaying more bytes than its rate allows is cut off with rate-limited; others carry on', async (t) => {
  const { connect } = await startServer(t, { relayBytesPerSecond: RATE_BYTES_PER_SECOND })
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  const carol = connect({ userId: 'carol' })
  for (const client of [alice, bob, carol]) await login(client)
  const atBob = relayedTo(bob)

  const ended = cutOff(alice)
  const sent = 16
  const started = performance.now()
  for (let i = 0; i < sent; i++) relay(alice, 'bob', chunk(1, i * CHUNK_DATA_BYTES))
  const { code, reason } = await ended
  // A busy machine spreads the frames' arrival out, and the budget refills meanwhile: four a second.
  const refilled = Math.ceil(((performance.now() - started) / 1000) * 4)
  assert.equal(code, 'rate-limited')
  assert.equal(reason, 'io server disconnect')

  // What fit in the burst (and what refilled while the frames arrived) went through, nothing after the cut.
  const burstFrames = RELAY_BURST_SECONDS * 4
  await waitUntil(() => atBob.length >= burstFrames - 1, 'bob receiving the burst')
  await new Promise((resolve) => setTimeout(resolve, 100))
  assert.ok(
    atBob.length >= burstFrames - 1 && atBob.length <= burstFrames + refilled && atBob.length < sent,
    `${atBob.length} frames relayed, ${refilled} refilled`,
  )

  // The budget is per user: bob and carol relay as before.
  const frame = chunk(2, 0)
  const arrived = await roundTrip(carol, bob, 'bob', frame)
  assert.deepEqual(arrived, { from: 'carol', bytes: encodeFrame(frame) })
})
