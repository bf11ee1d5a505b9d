import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeFrame, type Frame, utf8Encode } from '@ferry/protocol'
import { emitRaw, login, recordEvents, startServer } from './harness.js'
import { asBytes, CHUNK_DATA_BYTES, chunk, relay, relayedTo, roundTrip, waitUntil } from './relay-peers.js'

test('relayed frames reach exactly the target, byte for byte and in order, from the authenticated sender', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  const carol = connect({ userId: 'carol' })
  await login(alice)
  await login(bob)
  await login(carol)
  const atAlice = relayedTo(alice)
  const atBob = relayedTo(bob)
  const carolSaw = recordEvents(carol)

  const chunks = 12
  const size = chunks * CHUNK_DATA_BYTES + 5
  const frames: Frame[] = [
    { type: 'start', taskId: 7, kind: 'file', size, name: 'relayed.bin', mime: 'application/octet-stream' },
    ...Array.from({ length: chunks }, (_, i) => chunk(7, i * CHUNK_DATA_BYTES)),
    { type: 'cmd', taskId: 8, text: true, payload: utf8Encode('between two chunks') },
    chunk(7, chunks * CHUNK_DATA_BYTES, 5),
    { type: 'end', taskId: 7, sha256: new Uint8Array(32).fill(9) },
  ]
  const sent = frames.map(encodeFrame)
  // A `from` in the message is ignored: the server names the sender it authenticated.
  for (const bytes of sent) emitRaw(alice, 'relay:frame', { to: 'bob', from: 'carol' }, bytes)
  await waitUntil(() => atBob.length === sent.length, 'bob receiving every frame')
  assert.ok(
    atBob.every((frame) => frame.from === 'alice'),
    'every frame is from alice',
  )
  for (const [i, bytes] of sent.entries()) assert.deepEqual(atBob[i]?.bytes, bytes, `frame ${i} arrives as sent`)

  relay(bob, 'alice', { type: 'ack', taskId: 7, received: size })
  relay(bob, 'alice', { type: 'end-ack', taskId: 7 })
  await waitUntil(() => atAlice.length === 2, 'alice receiving the acks')
  assert.deepEqual(
    atAlice.map((frame) => frame.bytes),
    [encodeFrame({ type: 'ack', taskId: 7, received: size }), encodeFrame({ type: 'end-ack', taskId: 7 })],
  )

  // Carol got nothing: the first event she sees is the frame sent to her after all the others.
  const barrier: Frame = { type: 'cmd', taskId: 9, text: false, payload: new Uint8Array([1, 2, 3]) }
  const arrived = await roundTrip(alice, carol, 'carol', barrier)
  assert.deepEqual(arrived, { from: 'alice', bytes: encodeFrame(barrier) })
  assert.deepEqual(
    carolSaw.map((e) => [e.name, e.args[0], asBytes(e.args[1])]),
    [['relay:frame', { from: 'alice' }, encodeFrame(barrier)]],
  )
})
