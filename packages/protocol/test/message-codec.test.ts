import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  checkMessage,
  decodeMessage,
  encodeMessage,
  type FerryMessage,
  type FileMessage,
  type ImageMessage,
  MAX_MESSAGE_BYTES,
  type MessageDecodeResult,
  messageBytes,
} from '../src/index.js'
import { hostileJsonArb, rawMessage, validMessageArb } from './message-arbitraries.js'

const MEDIA = {
  mediaId: 'A'.repeat(32),
  uploader: 'alice',
  fileName: 'photo.jpg',
  size: 1000,
  mime: 'image/jpeg',
  sha256: 'a'.repeat(64),
  expiresAt: 0,
}
const FILE: FileMessage = { type: 'file', ...MEDIA }
const IMAGE: ImageMessage = { type: 'image', ...MEDIA, width: 640, height: 480 }

/** Decodes, failing the test if the decoder throws or answers outside its contract. */
function decodeChecked(bytes: Uint8Array): MessageDecodeResult {
  let result: MessageDecodeResult
  try {
    result = decodeMessage(bytes)
  } catch (error) {
    assert.fail(`decodeMessage threw on ${bytes.length} bytes: ${String(error)}`)
  }
  if (!result.ok) assert.ok(['protocol-error', 'message-too-large'].includes(result.code), result.code)
  return result
}

function codeOf(result: MessageDecodeResult | ReturnType<typeof checkMessage>): string {
  return result.ok ? 'ok' : result.code
}

/** `message` grown by its caption (text messages: their text) so that it encodes to exactly `bytes`. */
function sizedTo(message: FerryMessage, bytes: number): FerryMessage {
  const empty = { ...message, text: '' }
  return { ...empty, text: 'x'.repeat(bytes - messageBytes(empty)) }
}

describe('message codec', () => {
  test('every valid message round-trips exactly, and encoding what was decoded gives the same bytes', () => {
    fc.assert(
      fc.property(validMessageArb, (message) => {
        const check = checkMessage(message)
        assert.ok(check.ok, check.ok ? '' : check.reason)
        const bytes = encodeMessage(message)
        assert.equal(bytes.length, messageBytes(message))
        const decoded = decodeChecked(bytes)
        assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason)
        const expected: Record<string, unknown> = { ...message }
        if ((message as FileMessage).thumbnail?.length === 0) delete expected.thumbnail
        assert.deepEqual(decoded.message, expected)
        assert.deepEqual(encodeMessage(decoded.message), bytes)
      }),
      { numRuns: 300 },
    )
  })

  test('decode → encode → decode is the identity for whatever decodes, and re-encodes within the limit', () => {
    let accepted = 0
    fc.assert(
      fc.property(hostileJsonArb, fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }), (json, tail) => {
        const first = decodeChecked(rawMessage(json, tail))
        if (!first.ok) return
        accepted++
        const bytes = encodeMessage(first.message)
        assert.ok(bytes.length <= MAX_MESSAGE_BYTES)
        const second = decodeChecked(bytes)
        assert.ok(second.ok, second.ok ? '' : second.reason)
        assert.deepEqual(second.message, first.message)
        assert.deepEqual(encodeMessage(second.message), bytes)
      }),
      { numRuns: 1000 },
    )
    assert.ok(accepted > 0, 'some hostile JSON is still a valid message once unknown fields are dropped')
  })

  test('random bytes, cut messages and hostile JSON never make it throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void decodeChecked(bytes)))
    fc.assert(
      fc.property(validMessageArb, fc.nat(), (message, cut) => {
        const bytes = encodeMessage(message)
        decodeChecked(bytes.subarray(0, cut % (bytes.length + 1)))
      }),
    )
    fc.assert(
      fc.property(hostileJsonArb, fc.integer({ min: 0, max: 0xffff_ffff }), (json, claimed) => {
        const bytes = rawMessage(json)
        new DataView(bytes.buffer).setUint32(0, claimed)
        decodeChecked(bytes)
      }),
    )
    fc.assert(fc.property(fc.anything(), (value) => void checkMessage(value)))
  })

  test('a thumbnail claimed in the JSON is refused: no length read from it, nothing allocated by it', () => {
    const claims = [{ length: 4_000_000 }, { length: 2 ** 32 }, [1, 2, 3], 'AAAA', null]
    for (const thumbnail of claims) {
      for (const message of [{ type: 'text', text: 'hi' }, FILE, IMAGE]) {
        const decoded = decodeChecked(rawMessage(JSON.stringify({ ...message, thumbnail })))
        assert.equal(codeOf(decoded), 'protocol-error', JSON.stringify(thumbnail))
        assert.match(decoded.ok ? '' : decoded.reason, /thumbnail/)
        assert.equal(codeOf(checkMessage({ ...message, thumbnail })), 'invalid-argument')
      }
    }
  })

  test('only file and image messages carry a thumbnail', () => {
    const tail = new Uint8Array([0xff, 0xd8, 0xff])
    assert.equal(
      codeOf(decodeChecked(rawMessage(JSON.stringify({ type: 'text', text: 'hi' }), tail))),
      'protocol-error',
    )
    assert.equal(codeOf(checkMessage({ type: 'text', text: 'hi', thumbnail: tail })), 'invalid-argument')
    for (const message of [FILE, IMAGE]) {
      const decoded = decodeChecked(rawMessage(JSON.stringify(message), tail))
      assert.ok(decoded.ok)
      assert.deepEqual(decoded.message, { ...message, thumbnail: tail })
    }
  })

  test('every field has its type: a wrong one is a protocol error off the wire, invalid-argument from an app', () => {
    const wrong: [string, Record<string, unknown>][] = [
      ['not an object', [] as unknown as Record<string, unknown>],
      ['unknown type', { type: 'video', text: 'hi' }],
      ['no type', { text: 'hi' }],
      ['text not a string', { type: 'text', text: 1 }],
      ['text missing', { type: 'text' }],
      ['text an object with a length', { type: 'text', text: { length: 10 } }],
      ['text with a lone surrogate', { type: 'text', text: 'a\ud800b' }],
      ['mediaId not a media id', { ...FILE, mediaId: '../x' }],
      ['uploader not a user id', { ...FILE, uploader: '..' }],
      ['size zero', { ...FILE, size: 0 }],
      ['size a string', { ...FILE, size: '1000' }],
      ['size beyond 2^53', { ...FILE, size: 2 ** 53 }],
      ['size fractional', { ...FILE, size: 1.5 }],
      ['sha256 upper case', { ...FILE, sha256: 'A'.repeat(64) }],
      ['expiresAt negative', { ...FILE, expiresAt: -1 }],
      ['fileName over MAX_NAME_BYTES', { ...FILE, fileName: 'é'.repeat(513) }],
      ['mime not a string', { ...FILE, mime: ['image/jpeg'] }],
      ['caption not a string', { ...FILE, text: 5 }],
      ['thumbnailMime not a string', { ...FILE, thumbnailMime: {} }],
      ['image without width', { ...IMAGE, width: undefined }],
      ['image height negative', { ...IMAGE, height: -5 }],
      ['thumbnailWidth a string', { ...IMAGE, thumbnailWidth: '10' }],
    ]
    for (const [name, value] of wrong) {
      assert.equal(codeOf(decodeChecked(rawMessage(JSON.stringify(value)))), 'protocol-error', name)
      assert.equal(codeOf(checkMessage(value)), 'invalid-argument', name)
    }
  })

  test('unknown fields are dropped, off the wire and from an app', () => {
    const decoded = decodeChecked(rawMessage(JSON.stringify({ type: 'text', text: 'hi', evil: { length: 1e9 } })))
    assert.deepEqual(decoded, { ok: true, message: { type: 'text', text: 'hi' } })
    const check = checkMessage({ ...FILE, evil: true, text: undefined })
    assert.deepEqual(check, { ok: true, message: FILE })
    assert.deepEqual(encodeMessage({ ...FILE, evil: true } as FileMessage), encodeMessage(FILE))
  })

  test('MAX_MESSAGE_BYTES bounds the encoded message of every type: at it fine, one byte over refused', () => {
    const withThumbnail: FileMessage = { ...FILE, thumbnail: new Uint8Array(MAX_MESSAGE_BYTES / 2) }
    for (const message of [{ type: 'text', text: '' } as FerryMessage, FILE, IMAGE, withThumbnail]) {
      const at = sizedTo(message, MAX_MESSAGE_BYTES)
      assert.equal(encodeMessage(at).length, MAX_MESSAGE_BYTES)
      assert.equal(codeOf(checkMessage(at)), 'ok', message.type)
      assert.equal(codeOf(decodeChecked(encodeMessage(at))), 'ok', message.type)
      const over = sizedTo(message, MAX_MESSAGE_BYTES + 1)
      assert.equal(codeOf(checkMessage(over)), 'message-too-large', message.type)
      assert.equal(codeOf(decodeChecked(encodeMessage(over))), 'message-too-large', message.type)
    }
    // A thumbnail alone over the limit is refused whatever the rest says.
    assert.equal(codeOf(checkMessage({ ...FILE, thumbnail: new Uint8Array(MAX_MESSAGE_BYTES) })), 'message-too-large')
  })

  test('a message that would grow when written again is measured as it would be written', () => {
    // "9e15" is four bytes here and sixteen once written again: within the limit as sent, over it as passed on.
    const short = { ...IMAGE, size: '9e15', expiresAt: '9e15', width: '9e15', height: '9e15', text: '' }
    const json = (text: string) => JSON.stringify({ ...short, text }).replaceAll('"9e15"', '9e15')
    const padding = MAX_MESSAGE_BYTES - rawMessage(json('')).length
    const bytes = rawMessage(json('x'.repeat(padding)))
    assert.equal(bytes.length, MAX_MESSAGE_BYTES)
    assert.equal(codeOf(decodeChecked(bytes)), 'message-too-large')
    const fits = rawMessage(json('x'.repeat(padding - 4 * 12)))
    const decoded = decodeChecked(fits)
    assert.ok(decoded.ok)
    assert.equal(encodeMessage(decoded.message).length, MAX_MESSAGE_BYTES)
  })

  test('deep or huge JSON is refused without throwing', () => {
    const depth = (MAX_MESSAGE_BYTES - 8) / 2
    assert.equal(codeOf(decodeChecked(rawMessage('['.repeat(depth) + ']'.repeat(depth)))), 'protocol-error')
    const deepText = `{"type":"text","text":${'['.repeat(depth - 40)}${']'.repeat(depth - 40)}}`
    assert.equal(codeOf(decodeChecked(rawMessage(deepText))), 'protocol-error')
    const deepUnknown = `{"type":"text","text":"hi","x":${'['.repeat(depth - 40)}${']'.repeat(depth - 40)}}`
    assert.deepEqual(decodeChecked(rawMessage(deepUnknown)), { ok: true, message: { type: 'text', text: 'hi' } })
    assert.equal(codeOf(decodeChecked(new Uint8Array(MAX_MESSAGE_BYTES + 1))), 'message-too-large')
    assert.equal(codeOf(decodeChecked(new Uint8Array([0, 0, 0, 9, 1]))), 'protocol-error')
    assert.equal(codeOf(decodeChecked(rawMessage('{"type":"text","text":"\\ud800"}'))), 'protocol-error')
    const notUtf8 = rawMessage('{"type":"text","text":"??"}')
    notUtf8.set([0xc3, 0x28], notUtf8.length - 4)
    assert.equal(codeOf(decodeChecked(notUtf8)), 'protocol-error')
  })
})
