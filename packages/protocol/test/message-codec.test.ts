import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  checkMessage,
  decodeMessage,
  encodeMessage,
  type FerryMessage,
  MAX_MESSAGE_BYTES,
  messageBytes,
} from '../src/index.js'

const mediaIdArb = fc
  .uint8Array({ minLength: 24, maxLength: 24 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'))
const hexArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'))
const countArb = fc.nat({ max: 2 ** 40 })

const mediaArb = fc.record({
  mediaId: mediaIdArb,
  uploader: fc.stringMatching(/^[A-Za-z0-9_.@:-]{1,64}$/),
  fileName: fc.string({ maxLength: 200 }),
  size: fc.integer({ min: 1, max: 2 ** 40 }),
  mime: fc.string({ maxLength: 60 }),
  sha256: hexArb,
  expiresAt: countArb,
})

const extrasArb = fc.record(
  {
    text: fc.string({ maxLength: 500 }),
    thumbnail: fc.uint8Array({ minLength: 1, maxLength: 4000 }),
    thumbnailMime: fc.constantFrom('image/jpeg', 'image/webp'),
  },
  { requiredKeys: [] },
)

const messageArb: fc.Arbitrary<FerryMessage> = fc.oneof(
  fc.record({ type: fc.constant('text' as const), text: fc.string({ maxLength: 2000 }) }),
  fc.tuple(mediaArb, extrasArb).map(([media, extras]) => ({ type: 'file' as const, ...media, ...extras })),
  fc
    .tuple(
      mediaArb,
      extrasArb,
      fc.record({ width: countArb, height: countArb }),
      fc.record({ thumbnailWidth: countArb, thumbnailHeight: countArb }, { requiredKeys: [] }),
    )
    .map(([media, extras, size, thumb]) => ({ type: 'image' as const, ...media, ...extras, ...size, ...thumb })),
)

describe('message codec', () => {
  test('every valid message round-trips exactly', () => {
    fc.assert(
      fc.property(messageArb, (message) => {
        const decoded = decodeMessage(encodeMessage(message))
        assert.ok(decoded.ok, !decoded.ok ? decoded.reason : '')
        assert.deepEqual(decoded.message, { ...message })
      }),
    )
  })

  test('decoding random or cut bytes never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        decodeMessage(bytes)
      }),
    )
    fc.assert(
      fc.property(messageArb, fc.nat(), (message, cut) => {
        const bytes = encodeMessage(message)
        decodeMessage(bytes.subarray(0, cut % (bytes.length + 1)))
      }),
    )
  })

  test('unknown fields are dropped; wrong shapes are protocol errors', () => {
    const json = (value: unknown) => {
      const body = Buffer.from(JSON.stringify(value))
      const out = Buffer.alloc(4 + body.length)
      out.writeUInt32BE(body.length)
      body.copy(out, 4)
      return new Uint8Array(out)
    }
    const decoded = decodeMessage(json({ type: 'text', text: 'hi', evil: true }))
    assert.deepEqual(decoded, { ok: true, message: { type: 'text', text: 'hi' } })
    for (const bad of [[], 'text', { type: 'text' }, { type: 'file', mediaId: '../x' }, { type: 'text', text: 1 }]) {
      const result = decodeMessage(json(bad))
      assert.equal(result.ok, false)
      assert.equal(!result.ok && result.code, 'protocol-error')
    }
    assert.equal(decodeMessage(new Uint8Array([0, 0, 0, 9, 1])).ok, false)
  })

  test('text + file name + thumbnail over MAX_MESSAGE_BYTES is message-too-large, exactly at it is fine', () => {
    const text = 'é'.repeat(MAX_MESSAGE_BYTES / 2)
    assert.equal(messageBytes({ type: 'text', text }), MAX_MESSAGE_BYTES)
    assert.deepEqual(checkMessage({ type: 'text', text }), { ok: true })
    const over = checkMessage({ type: 'text', text: `${text}x` })
    assert.equal(!over.ok && over.code, 'message-too-large')
    // A receiver decoding an oversize message refuses it with the same code.
    const decoded = decodeMessage(encodeMessage({ type: 'text', text: `${text}x` }))
    assert.equal(!decoded.ok && decoded.code, 'message-too-large')
  })
})
