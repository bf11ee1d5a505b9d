import fc from 'fast-check'
import {
  ERROR_CODES,
  type FerryErrorCode,
  type Frame,
  type FrameOrigin,
  MAX_CMD_BYTES,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_MIME_BYTES,
  MAX_NAME_BYTES,
  SHA256_BYTES,
  type StartFrame,
  utf8Encode,
} from '../src/index.js'

export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as FerryErrorCode[]

/** Names, mimes and messages that only round-trip if every code point survives: a BOM, NUL, astral chars. */
const EDGE_TEXTS = ['', '\uFEFF', '\uFEFFreport.txt', 'a\u0000b', '😀', 'é\u0301', '文件.bin', 'line\r\nbreak']

export function utf8Length(text: string): number {
  return utf8Encode(text).length
}

/** The longest prefix of `text`, in whole code points, whose UTF-8 fits in `maxBytes`. */
export function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0
  let out = ''
  for (const char of text) {
    const size = utf8Length(char)
    if (bytes + size > maxBytes) break
    bytes += size
    out += char
  }
  return out
}

/** Any Unicode text (no lone surrogates: they have no UTF-8 form) of at most `maxBytes` UTF-8 bytes. */
export function textWithin(maxBytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...EDGE_TEXTS.filter((text) => utf8Length(text) <= maxBytes)),
    fc.string({ unit: 'binary', maxLength: Math.floor(maxBytes / 4) }),
    fc.string({ unit: 'grapheme', maxLength: 16 }).map((text) => cutToBytes(text, maxBytes)),
    // Near the limit, in 1- to 4-byte characters, so the last one may only just fit.
    fc
      .string({ unit: 'binary', minLength: Math.floor(maxBytes / 4), maxLength: maxBytes, size: 'max' })
      .map((text) => cutToBytes(text, maxBytes)),
  )
}

/** Bytes with a recognisable pattern: cheap to make at any size, unlike fully random large arrays. */
function patterned(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = (seed + i * 31) & 0xff
  return bytes
}

/** Byte arrays up to `maxBytes`: small random ones, plus patterned ones up to and at the limit. */
export function bytesWithin(maxBytes: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.tuple(fc.integer({ min: 0, max: maxBytes }), fc.nat(255)).map(([length, seed]) => patterned(length, seed)),
    fc.nat(255).map((seed) => patterned(maxBytes, seed)),
  )
}

export const taskIdArb = fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 1, 0xffff_ffff))
export const originArb = fc.constantFrom<FrameOrigin>('sender', 'receiver')
export const sha256Arb = fc.uint8Array({ minLength: SHA256_BYTES, maxLength: SHA256_BYTES })
/** Byte counts and offsets: anything up to 2^53 - 1, with the 32-bit boundaries called out. */
export const u53Arb = fc.oneof(
  fc.maxSafeNat(),
  fc.constantFrom(0, 1, 0xffff_ffff, 0x1_0000_0000, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER),
)

export const cmdArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({
    type: fc.constant('cmd' as const),
    taskId: taskIdArb,
    text: fc.constant(false),
    payload: bytesWithin(MAX_CMD_BYTES),
  }),
  fc.record({
    type: fc.constant('cmd' as const),
    taskId: taskIdArb,
    text: fc.constant(true),
    payload: textWithin(MAX_CMD_BYTES).map(utf8Encode),
  }),
)

export const startArb: fc.Arbitrary<Frame> = fc
  .record({
    taskId: taskIdArb,
    kind: fc.constantFrom('buffer' as const, 'file' as const, 'media' as const),
    size: u53Arb,
    name: textWithin(MAX_NAME_BYTES),
    mime: textWithin(MAX_MIME_BYTES),
    sha256: fc.option(sha256Arb, { nil: undefined }),
  })
  .map(({ sha256, ...rest }) => {
    const frame: StartFrame = { type: 'start', ...rest }
    if (sha256) frame.sha256 = sha256
    return frame
  })

export const chunkArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('chunk' as const),
  taskId: taskIdArb,
  offset: u53Arb,
  data: bytesWithin(256 * 1024),
})

export const ackArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('ack' as const),
  taskId: taskIdArb,
  received: u53Arb,
})

export const endArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('end' as const),
  taskId: taskIdArb,
  sha256: sha256Arb,
})

export const endAckArb: fc.Arbitrary<Frame> = fc.record({ type: fc.constant('end-ack' as const), taskId: taskIdArb })

export const cancelArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('cancel' as const),
  taskId: taskIdArb,
  origin: originArb,
})

export const errorArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('error' as const),
  taskId: taskIdArb,
  origin: originArb,
  code: fc.constantFrom(...ALL_ERROR_CODES),
  message: textWithin(MAX_ERROR_MESSAGE_BYTES),
})

export const resumeArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('resume' as const),
  taskId: taskIdArb,
  origin: originArb,
  offset: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
})

export const messageArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('message' as const),
  taskId: taskIdArb,
  payload: bytesWithin(MAX_CMD_BYTES),
})

const mediaIdArb = fc
  .uint8Array({ minLength: 24, maxLength: 24 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'))

export const mediaRequestArb: fc.Arbitrary<Frame> = fc.record({
  type: fc.constant('media-request' as const),
  taskId: taskIdArb,
  mediaId: mediaIdArb,
  offset: u53Arb,
})

export const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  cmdArb,
  messageArb,
  mediaRequestArb,
  startArb,
  chunkArb,
  ackArb,
  endArb,
  endAckArb,
  cancelArb,
  errorArb,
  resumeArb,
)

/** Frames whose body has a fixed layout: no strict prefix of one is a valid frame. */
export const fixedBodyFrameArb: fc.Arbitrary<Frame> = fc.oneof(
  startArb,
  mediaRequestArb,
  ackArb,
  endArb,
  endAckArb,
  cancelArb,
  errorArb,
  resumeArb,
)

/**
 * A copy of `frame` whose byte fields are fresh arrays. Decoded frames hold views into the input,
 * so comparing through this checks contents, not which buffer they live in.
 */
export function normalize(frame: Frame): Frame {
  switch (frame.type) {
    case 'cmd':
    case 'message':
      return { ...frame, payload: frame.payload.slice() }
    case 'chunk':
      return { ...frame, data: frame.data.slice() }
    case 'end':
      return { ...frame, sha256: frame.sha256.slice() }
    case 'start': {
      const { sha256, ...rest } = frame
      return sha256 ? { ...rest, sha256: sha256.slice() } : rest
    }
    default:
      return { ...frame }
  }
}
