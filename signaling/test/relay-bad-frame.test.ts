import assert from 'node:assert/strict'
import { test } from 'node:test'
import { encodeFrame, MAX_RELAY_FRAME_BYTES, PROTOCOL_VERSION } from '@ferry/protocol'
import { emitRaw, login, startServer } from './harness.js'
import { cutOff, roundTrip } from './relay-peers.js'

const CASES = [
  {
    what: 'a frame over MAX_RELAY_FRAME_BYTES',
    payload: () => encodeFrame({ type: 'chunk', taskId: 1, offset: 0, data: new Uint8Array(MAX_RELAY_FRAME_BYTES) }),
    code: 'protocol-error',
  },
  {
    what: 'bytes that are no frame',
    payload: () => new Uint8Array([PROTOCOL_VERSION, 200, 0, 0, 0, 1, 42]),
    code: 'protocol-error',
  },
  { what: 'a frame cut short', payload: () => new Uint8Array([PROTOCOL_VERSION, 3, 0]), code: 'protocol-error' },
  {
    what: 'a frame of another protocol version',
    payload: () => new Uint8Array([PROTOCOL_VERSION + 1, 1, 0, 0, 0, 1, 0]),
    code: 'unsupported-version',
  },
  { what: 'a text payload', payload: () => 'not binary', code: 'invalid-argument' },
  { what: 'no payload at all', payload: () => undefined, code: 'invalid-argument' },
] as const

for (const { what, payload, code } of CASES) {
  test(`relaying ${what} gets the sender cut off with ${code}; others carry on`, async (t) => {
    const { connect } = await startServer(t)
    const mallory = connect({ userId: 'mallory' })
    const bob = connect({ userId: 'bob' })
    const carol = connect({ userId: 'carol' })
    for (const client of [mallory, bob, carol]) await login(client)
    let bobGot = 0
    bob.on('relay:frame', () => bobGot++)

    const ended = cutOff(mallory)
    emitRaw(mallory, 'relay:frame', { to: 'bob' }, payload())
    const msg = await ended
    assert.equal(msg.code, code)
    assert.equal(typeof msg.message, 'string')
    assert.equal(msg.reason, 'io server disconnect')

    const frame = { type: 'end-ack', taskId: 1 } as const
    assert.deepEqual(await roundTrip(carol, bob, 'bob', frame), { from: 'carol', bytes: encodeFrame(frame) })
    assert.equal(bobGot, 1, 'bob got only carol’s frame')
  })
}
