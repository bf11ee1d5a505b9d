import fc from 'fast-check'
import {
  type FerryMessage,
  MAX_MESSAGE_BYTES,
  MAX_MIME_BYTES,
  MAX_NAME_BYTES,
  type MediaInfo,
  messageBytes,
} from '../src/index.js'
import { bytesWithin, textWithin, u53Arb } from './frame-arbitraries.js'

const mediaIdArb = fc
  .uint8Array({ minLength: 24, maxLength: 24 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'))
const sha256HexArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'))
const userIdArb = fc.stringMatching(/^[A-Za-z0-9_@:-][A-Za-z0-9_.@:-]{0,63}$/)

export const mediaInfoArb: fc.Arbitrary<MediaInfo> = fc.record({
  mediaId: mediaIdArb,
  uploader: userIdArb,
  fileName: textWithin(MAX_NAME_BYTES),
  size: fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(Number.MAX_SAFE_INTEGER)),
  mime: textWithin(MAX_MIME_BYTES),
  sha256: sha256HexArb,
  expiresAt: u53Arb,
})

/** A caption, a thumbnail of up to half the limit, its mime: each there or not. */
const extrasArb = fc.record(
  {
    text: textWithin(4096),
    thumbnail: bytesWithin(MAX_MESSAGE_BYTES / 2),
    thumbnailMime: textWithin(MAX_MIME_BYTES),
  },
  { requiredKeys: [] },
)

const textMessageArb: fc.Arbitrary<FerryMessage> = fc.record({
  type: fc.constant('text' as const),
  text: fc.oneof(textWithin(2048), textWithin(MAX_MESSAGE_BYTES - 64)),
})

const fileMessageArb: fc.Arbitrary<FerryMessage> = fc
  .tuple(mediaInfoArb, extrasArb)
  .map(([media, extras]) => ({ type: 'file' as const, ...media, ...extras }))

const imageMessageArb: fc.Arbitrary<FerryMessage> = fc
  .tuple(
    mediaInfoArb,
    extrasArb,
    fc.record({ width: u53Arb, height: u53Arb }),
    fc.record({ thumbnailWidth: u53Arb, thumbnailHeight: u53Arb }, { requiredKeys: [] }),
  )
  .map(([media, extras, size, thumb]) => ({ type: 'image' as const, ...media, ...extras, ...size, ...thumb }))

/** Messages of every type whose encoding fits MAX_MESSAGE_BYTES. */
export const validMessageArb: fc.Arbitrary<FerryMessage> = fc
  .oneof(textMessageArb, fileMessageArb, imageMessageArb)
  .filter((message) => messageBytes(message) <= MAX_MESSAGE_BYTES)

/** A message's bytes laid out by hand: u32 JSON length, the JSON, then `tail`. */
export function rawMessage(json: string, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = Buffer.from(json, 'utf8')
  const out = new Uint8Array(4 + body.length + tail.length)
  new DataView(out.buffer).setUint32(0, body.length)
  out.set(body, 4)
  out.set(tail, 4 + body.length)
  return out
}

/** Values of every JSON kind, hostile ones included: huge claimed lengths, nesting, look-alike objects. */
const hostileValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    { length: 4_000_000 },
    { length: 2 ** 32 },
    { 0: 1, length: 1 },
    [1, 2, 3],
    '',
    -1,
    1.5,
    1e300,
    Number.MAX_SAFE_INTEGER + 2,
    null,
    true,
  ),
)

const KEYS = [
  'type',
  'text',
  'mediaId',
  'uploader',
  'fileName',
  'size',
  'mime',
  'sha256',
  'expiresAt',
  'thumbnail',
  'thumbnailMime',
  'width',
  'height',
  'thumbnailWidth',
  'thumbnailHeight',
  '__proto__',
  'constructor',
  'evil',
]

/**
 * JSON a hostile sender might write: a valid message with some fields replaced by anything, or
 * extra ones added, or no message at all; the result is a string (what goes into the encoding).
 */
export const hostileJsonArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(validMessageArb, fc.dictionary(fc.constantFrom(...KEYS), hostileValueArb, { maxKeys: 3 }))
    .map(([message, changes]) => {
      const { thumbnail: _, ...fields } = message as FerryMessage & { thumbnail?: Uint8Array }
      return JSON.stringify({ ...fields, ...changes })
    }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
)
