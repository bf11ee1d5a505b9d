import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  CHUNK_HEADER_BYTES,
  decodeFrame,
  encodeFrame,
  type Frame,
  MAX_CMD_BYTES,
  writeChunkHeader,
} from '../src/index.js'
import {
  ALL_ERROR_CODES,
  ackArb,
  bytesWithin,
  cancelArb,
  chunkArb,
  cmdArb,
  endAckArb,
  endArb,
  errorArb,
  frameArb,
  mediaRequestArb,
  messageArb,
  normalize,
  originArb,
  resumeArb,
  startArb,
  taskIdArb,
  u53Arb,
} from './frame-arbitraries.js'

function assertRoundTrip(frame: Frame): void {
  const decoded = decodeFrame(encodeFrame(frame))
  assert.ok(decoded.ok, decoded.ok ? '' : `decode failed: ${decoded.reason}`)
  assert.deepEqual(normalize(decoded.frame), normalize(frame))
}

describe('every frame survives encode then decode unchanged', () => {
  const cases: [string, fc.Arbitrary<Frame>][] = [
    ['cmd', cmdArb],
    ['message', messageArb],
    ['media-request', mediaRequestArb],
    ['start', startArb],
    ['chunk', chunkArb],
    ['ack', ackArb],
    ['end', endArb],
    ['end-ack', endAckArb],
    ['cancel', cancelArb],
    ['resume', resumeArb],
    ['error', errorArb],
    ['any frame', frameArb],
  ]
  for (const [name, arb] of cases) {
    it(name, () => {
      fc.assert(fc.property(arb, assertRoundTrip))
    })
  }

  it('a cmd payload of exactly MAX_CMD_BYTES', () => {
    assertRoundTrip({ type: 'cmd', taskId: 7, text: false, payload: new Uint8Array(MAX_CMD_BYTES).fill(0xab) })
  })

  it('a start frame without sha-256 has no sha256 key once decoded', () => {
    const decoded = decodeFrame(
      encodeFrame({ type: 'start', taskId: 1, kind: 'file', size: 10, name: 'a.txt', mime: 'text/plain' }),
    )
    assert.ok(decoded.ok)
    assert.equal(Object.hasOwn(decoded.frame, 'sha256'), false)
  })

  it('an error frame for every error code and both origins', () => {
    for (const code of ALL_ERROR_CODES) {
      for (const origin of ['sender', 'receiver'] as const) {
        assertRoundTrip({ type: 'error', taskId: 3, origin, code, message: `${code} ✓ 😀` })
      }
    }
  })

  it('both cancel origins', () => {
    fc.assert(
      fc.property(taskIdArb, originArb, (taskId, origin) => assertRoundTrip({ type: 'cancel', taskId, origin })),
    )
  })
})

describe('writeChunkHeader', () => {
  it('plus the data is the chunk frame encodeFrame makes', () => {
    fc.assert(
      fc.property(taskIdArb, u53Arb, bytesWithin(64 * 1024), (taskId, offset, data) => {
        const frame = new Uint8Array(CHUNK_HEADER_BYTES + data.length)
        writeChunkHeader(frame, taskId, offset)
        frame.set(data, CHUNK_HEADER_BYTES)
        assert.deepEqual(frame, encodeFrame({ type: 'chunk', taskId, offset, data }))
        const decoded = decodeFrame(frame)
        assert.ok(decoded.ok)
        assert.deepEqual(normalize(decoded.frame), { type: 'chunk', taskId, offset, data })
      }),
    )
  })

  it('writes into a view that starts inside a larger buffer, touching nothing outside it', () => {
    fc.assert(
      fc.property(
        taskIdArb,
        u53Arb,
        fc.uint8Array({ maxLength: 256 }),
        fc.integer({ min: 1, max: 64 }),
        (taskId, offset, data, before) => {
          const backing = new Uint8Array(before + CHUNK_HEADER_BYTES + data.length + 8).fill(0xee)
          const frame = backing.subarray(before, before + CHUNK_HEADER_BYTES + data.length)
          writeChunkHeader(frame, taskId, offset)
          frame.set(data, CHUNK_HEADER_BYTES)
          assert.ok(backing.subarray(0, before).every((byte) => byte === 0xee))
          assert.ok(backing.subarray(before + frame.length).every((byte) => byte === 0xee))
          const decoded = decodeFrame(frame)
          assert.ok(decoded.ok)
          assert.deepEqual(normalize(decoded.frame), { type: 'chunk', taskId, offset, data })
        },
      ),
    )
  })

  it('decodes from a frame that is itself a view into a larger buffer', () => {
    fc.assert(
      fc.property(frameArb, fc.integer({ min: 1, max: 32 }), (frame, before) => {
        const encoded = encodeFrame(frame)
        const backing = new Uint8Array(before + encoded.length + 16).fill(0x5a)
        backing.set(encoded, before)
        const decoded = decodeFrame(backing.subarray(before, before + encoded.length))
        assert.ok(decoded.ok)
        assert.deepEqual(normalize(decoded.frame), normalize(frame))
      }),
    )
  })
})
