import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  type DecodeResult,
  decodeFrame,
  ERROR_CODES,
  encodeFrame,
  type Frame,
  MAX_CMD_BYTES,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_MIME_BYTES,
  MAX_NAME_BYTES,
  PROTOCOL_VERSION,
  utf8Encode,
} from '../src/index.js'
import { chunkArb, cmdArb, fixedBodyFrameArb, frameArb, normalize, utf8Length } from './frame-arbitraries.js'

const HEADER_BYTES = 6
const TYPE_COUNT = 11
const TWO_53 = 2n ** 53n

/** Decodes, failing the test if the decoder throws or answers outside its contract. */
function decodeChecked(bytes: Uint8Array): DecodeResult {
  let result: DecodeResult
  try {
    result = decodeFrame(bytes)
  } catch (error) {
    assert.fail(`decodeFrame threw on ${bytes.length} bytes: ${String(error)}`)
  }
  if (result.ok) {
    assert.equal(typeof result.frame.type, 'string')
  } else {
    assert.ok(['protocol-error', 'unsupported-version'].includes(result.code), `unexpected code ${result.code}`)
    assert.equal(typeof result.reason, 'string')
    assert.ok(result.reason.length > 0)
  }
  return result
}

function assertRejected(bytes: Uint8Array, code: 'protocol-error' | 'unsupported-version' = 'protocol-error'): void {
  const result = decodeChecked(bytes)
  assert.equal(result.ok, false, 'expected the frame to be rejected')
  if (!result.ok) assert.equal(result.code, code)
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Offset of the name length field in an encoded start frame without sha-256. */
const START_NAME_LENGTH_AT = HEADER_BYTES + 2 + 8

const beyond53Arb = fc.bigInt({ min: TWO_53, max: 2n ** 64n - 1n })

describe('decodeFrame on hostile input', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => void decodeChecked(bytes)),
      {
        numRuns: 2000,
      },
    )
  })

  it('never throws on random bodies behind a valid header of every type', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: TYPE_COUNT }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        fc.uint8Array({ maxLength: 512 }),
        (type, taskId, body) => void decodeChecked(Uint8Array.from([PROTOCOL_VERSION, type, ...taskId, ...body])),
      ),
      { numRuns: 2000 },
    )
  })

  it('never throws when single bytes of a valid frame are changed', () => {
    fc.assert(
      fc.property(
        frameArb,
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
        (frame, edits) => {
          const bytes = encodeFrame(frame)
          for (const [at, value] of edits) bytes[at % bytes.length] = value
          decodeChecked(bytes)
        },
      ),
    )
  })

  it('rejects anything shorter than a header', () => {
    for (let length = 0; length < HEADER_BYTES; length++) assertRejected(new Uint8Array(length).fill(PROTOCOL_VERSION))
  })
})

describe('truncated frames', () => {
  it('no strict prefix of a fixed-layout frame (start, ack, end, end-ack, cancel, error) decodes', () => {
    fc.assert(
      fc.property(fixedBodyFrameArb, (frame) => {
        const bytes = encodeFrame(frame)
        for (let length = 0; length < bytes.length; length++) assertRejected(bytes.subarray(0, length))
      }),
    )
  })

  it('prefixes of cmd and chunk frames never throw, and decode as shorter frames when long enough', () => {
    fc.assert(
      fc.property(fc.oneof(cmdArb, chunkArb), fc.nat(), (frame, cut) => {
        const bytes = encodeFrame(frame)
        const length = cut % (bytes.length + 1)
        const result = decodeChecked(bytes.subarray(0, length))
        const minimum = frame.type === 'cmd' ? HEADER_BYTES + 1 : HEADER_BYTES + 8
        assert.equal(result.ok, length >= minimum)
      }),
    )
  })

  it('trailing bytes after a fixed-layout frame are rejected', () => {
    fc.assert(
      fc.property(fixedBodyFrameArb, fc.uint8Array({ minLength: 1, maxLength: 16 }), (frame, extra) => {
        const bytes = encodeFrame(frame)
        assertRejected(Uint8Array.from([...bytes, ...extra]))
      }),
    )
  })
})

describe('header checks', () => {
  it('another protocol version gives unsupported-version', () => {
    fc.assert(
      fc.property(
        frameArb,
        fc.nat(255).filter((version) => version !== PROTOCOL_VERSION),
        (frame, version) => {
          const bytes = encodeFrame(frame)
          bytes[0] = version
          assertRejected(bytes, 'unsupported-version')
        },
      ),
    )
  })

  it('an unknown frame type gives protocol-error', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(0), fc.integer({ min: TYPE_COUNT + 1, max: 255 })),
        fc.uint8Array({ maxLength: 64 }),
        (type, body) => assertRejected(Uint8Array.from([PROTOCOL_VERSION, type, 0, 0, 0, 1, ...body])),
      ),
    )
  })
})

describe('numbers beyond 2^53 - 1', () => {
  it('a chunk offset is rejected', () => {
    fc.assert(
      fc.property(beyond53Arb, (offset) => {
        const bytes = encodeFrame({ type: 'chunk', taskId: 1, offset: 0, data: new Uint8Array(4) })
        view(bytes).setBigUint64(HEADER_BYTES, offset)
        assertRejected(bytes)
      }),
    )
  })

  it('an ack count is rejected', () => {
    fc.assert(
      fc.property(beyond53Arb, (received) => {
        const bytes = encodeFrame({ type: 'ack', taskId: 1, received: 0 })
        view(bytes).setBigUint64(HEADER_BYTES, received)
        assertRejected(bytes)
      }),
    )
  })

  it('a start size is rejected', () => {
    fc.assert(
      fc.property(beyond53Arb, (size) => {
        const bytes = encodeFrame({ type: 'start', taskId: 1, kind: 'file', size: 0, name: 'f', mime: '' })
        view(bytes).setBigUint64(HEADER_BYTES + 2, size)
        assertRejected(bytes)
      }),
    )
  })

  it('2^53 - 1 itself is accepted', () => {
    const bytes = encodeFrame({ type: 'ack', taskId: 1, received: Number.MAX_SAFE_INTEGER })
    assert.equal(view(bytes).getBigUint64(HEADER_BYTES), TWO_53 - 1n)
    const result = decodeChecked(bytes)
    assert.ok(result.ok)
    assert.deepEqual(result.frame, { type: 'ack', taskId: 1, received: Number.MAX_SAFE_INTEGER })
  })
})

describe('field checks', () => {
  it('a cmd payload over MAX_CMD_BYTES is rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1024 }), fc.boolean(), (over, text) => {
        const payload = new Uint8Array(MAX_CMD_BYTES + over)
        assertRejected(encodeFrame({ type: 'cmd', taskId: 1, text, payload }))
      }),
      { numRuns: 20 },
    )
  })

  it('unknown cmd flags are rejected', () => {
    const bytes = encodeFrame({ type: 'cmd', taskId: 1, text: true, payload: utf8Encode('hi') })
    bytes[HEADER_BYTES] = 2
    assertRejected(bytes)
  })

  it('an unknown start kind or flag is rejected', () => {
    const frame: Frame = { type: 'start', taskId: 1, kind: 'buffer', size: 1, name: 'n', mime: 'm' }
    for (const kind of [0, 4, 255]) {
      const bytes = encodeFrame(frame)
      bytes[HEADER_BYTES] = kind
      assertRejected(bytes)
    }
    for (const flags of [2, 255]) {
      const bytes = encodeFrame(frame)
      bytes[HEADER_BYTES + 1] = flags
      assertRejected(bytes)
    }
  })

  it('an origin other than sender or receiver is rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 255 }), (origin) => {
        const cancel = encodeFrame({ type: 'cancel', taskId: 1, origin: 'sender' })
        cancel[HEADER_BYTES] = origin
        assertRejected(cancel)
        const error = encodeFrame({ type: 'error', taskId: 1, origin: 'sender', code: 'unknown', message: '' })
        error[HEADER_BYTES] = origin
        assertRejected(error)
      }),
    )
  })

  it('an unknown error code number is rejected', () => {
    const known = new Set<number>(Object.values(ERROR_CODES))
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }).filter((n) => !known.has(n)),
        (n) => {
          const bytes = encodeFrame({ type: 'error', taskId: 1, origin: 'receiver', code: 'cancelled', message: 'x' })
          view(bytes).setUint16(HEADER_BYTES + 1, n)
          assertRejected(bytes)
        },
      ),
    )
  })

  it('declared string lengths over their limits are rejected', () => {
    const start = encodeFrame({ type: 'start', taskId: 1, kind: 'file', size: 1, name: '', mime: '' })
    const name = Uint8Array.from(start)
    view(name).setUint16(START_NAME_LENGTH_AT, MAX_NAME_BYTES + 1)
    assertRejected(name)
    const mime = Uint8Array.from(start)
    view(mime).setUint16(start.length - 2, MAX_MIME_BYTES + 1)
    assertRejected(mime)
    const error = encodeFrame({ type: 'error', taskId: 1, origin: 'sender', code: 'unknown', message: '' })
    view(error).setUint16(HEADER_BYTES + 3, MAX_ERROR_MESSAGE_BYTES + 1)
    assertRejected(error)
  })
})

describe('invalid UTF-8', () => {
  const invalidSequences = [
    [0xff], // never valid
    [0x80], // lone continuation byte
    [0xc3], // lead byte without its continuation
    [0xc0, 0x80], // overlong NUL
    [0xe0, 0x80, 0xaf], // overlong '/'
    [0xed, 0xa0, 0x80], // UTF-16 surrogate half
    [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  ]

  /** Replaces the bytes of a same-length ASCII placeholder with `bad`, keeping the rest valid. */
  function withBytes(bytes: Uint8Array, placeholder: string, bad: number[]): Uint8Array {
    const marker = utf8Encode(placeholder)
    const at = Buffer.from(bytes).indexOf(Buffer.from(marker))
    assert.ok(at >= 0)
    const out = Uint8Array.from(bytes)
    out.set(bad, at)
    return out
  }

  for (const bad of invalidSequences) {
    const hex = bad.map((byte) => byte.toString(16).padStart(2, '0')).join(' ')
    const placeholder = '#'.repeat(bad.length)

    it(`in a start name (${hex}) is rejected`, () => {
      const frame: Frame = { type: 'start', taskId: 1, kind: 'file', size: 5, name: `a${placeholder}z`, mime: 'm/t' }
      assertRejected(withBytes(encodeFrame(frame), placeholder, bad))
    })

    it(`in a start mime (${hex}) is rejected`, () => {
      const frame: Frame = { type: 'start', taskId: 1, kind: 'file', size: 5, name: 'n', mime: `a${placeholder}z` }
      assertRejected(withBytes(encodeFrame(frame), placeholder, bad))
    })

    it(`in an error message (${hex}) is rejected`, () => {
      const frame: Frame = { type: 'error', taskId: 1, origin: 'sender', code: 'unknown', message: `a${placeholder}z` }
      assertRejected(withBytes(encodeFrame(frame), placeholder, bad))
    })
  }
})

describe('text over its limit is cut by the encoder on a character boundary', () => {
  const longTextArb = (minBytes: number) =>
    fc
      .tuple(
        fc.constantFrom('a', 'é', '€', '😀', '文'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
        fc.integer({ min: 0, max: 3 }),
      )
      .map(([char, tail, lead]) => 'x'.repeat(lead) + char.repeat(Math.ceil(minBytes / utf8Length(char))) + tail)

  function assertCut(original: string, decoded: string, maxBytes: number): void {
    const bytes = utf8Length(decoded)
    assert.ok(bytes <= maxBytes, `${bytes} bytes, limit ${maxBytes}`)
    assert.ok(bytes > maxBytes - 4, `cut too short: ${bytes} bytes`)
    assert.ok(original.startsWith(decoded))
    // Whole code points only: the next one is what did not fit.
    const next = original.slice(decoded.length).codePointAt(0)
    assert.ok(next !== undefined)
    assert.ok(bytes + utf8Length(String.fromCodePoint(next)) > maxBytes)
  }

  it('names longer than MAX_NAME_BYTES', () => {
    fc.assert(
      fc.property(longTextArb(MAX_NAME_BYTES), fc.constantFrom<'buffer' | 'file'>('buffer', 'file'), (name, kind) => {
        const result = decodeChecked(encodeFrame({ type: 'start', taskId: 2, kind, size: 9, name, mime: 'a/b' }))
        assert.ok(result.ok && result.frame.type === 'start')
        assertCut(name, result.frame.name, MAX_NAME_BYTES)
        assert.equal(result.frame.mime, 'a/b')
      }),
    )
  })

  it('mimes longer than MAX_MIME_BYTES', () => {
    fc.assert(
      fc.property(longTextArb(MAX_MIME_BYTES), (mime) => {
        const result = decodeChecked(encodeFrame({ type: 'start', taskId: 2, kind: 'file', size: 9, name: 'n', mime }))
        assert.ok(result.ok && result.frame.type === 'start')
        assertCut(mime, result.frame.mime, MAX_MIME_BYTES)
        assert.equal(result.frame.name, 'n')
      }),
    )
  })

  it('error messages longer than MAX_ERROR_MESSAGE_BYTES', () => {
    fc.assert(
      fc.property(longTextArb(MAX_ERROR_MESSAGE_BYTES), (message) => {
        const result = decodeChecked(
          encodeFrame({ type: 'error', taskId: 2, origin: 'receiver', code: 'file-write-error', message }),
        )
        assert.ok(result.ok && result.frame.type === 'error')
        assertCut(message, result.frame.message, MAX_ERROR_MESSAGE_BYTES)
      }),
    )
  })

  it('a name of 3-byte characters loses the one that would straddle the limit', () => {
    const name = '€'.repeat(400)
    const result = decodeChecked(encodeFrame({ type: 'start', taskId: 1, kind: 'file', size: 1, name, mime: '' }))
    assert.ok(result.ok && result.frame.type === 'start')
    assert.equal(result.frame.name, '€'.repeat(Math.floor(MAX_NAME_BYTES / 3)))
  })

  it('the rest of the frame survives the cut', () => {
    const sha256 = new Uint8Array(32).fill(9)
    const frame: Frame = { type: 'start', taskId: 4, kind: 'file', size: 77, name: '😀'.repeat(300), mime: 'x', sha256 }
    const result = decodeChecked(encodeFrame(frame))
    assert.ok(result.ok)
    assert.deepEqual(normalize(result.frame), { ...frame, name: '😀'.repeat(MAX_NAME_BYTES / 4) })
  })
})
