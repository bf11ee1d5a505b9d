import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { utf8Decode, utf8Encode } from '../src/index.js'

describe('utf8Encode and utf8Decode', () => {
  it('round-trip any text without lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        assert.equal(utf8Decode(utf8Encode(text)), text)
      }),
    )
  })

  it('keep a leading byte order mark', () => {
    assert.equal(utf8Decode(utf8Encode('\uFEFFhello')), '\uFEFFhello')
    assert.equal(utf8Decode(Uint8Array.of(0xef, 0xbb, 0xbf)), '\uFEFF')
  })

  it('agree with Node on what is valid UTF-8, and never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const valid = Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(bytes)
        const decoded = utf8Decode(bytes)
        assert.equal(decoded !== undefined, valid)
        if (decoded !== undefined) assert.deepEqual(utf8Encode(decoded), bytes)
      }),
      { numRuns: 2000 },
    )
  })

  it('decode a view into a larger buffer by its own bounds', () => {
    const backing = utf8Encode('xxhéllo😀yy')
    assert.equal(utf8Decode(backing.subarray(2, backing.length - 2)), 'héllo😀')
  })
})
