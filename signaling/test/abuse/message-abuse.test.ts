import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DeliveryRef, decodeMessage, encodeMessage, type FileMessage, MAX_MESSAGE_BYTES } from '@ferry/protocol'
import { login, openClient, requestRaw } from '../harness.js'
import { asBytes, withTimeout } from '../relay-peers.js'
import { codeOf, FILE_MESSAGE, join } from '../rooms-support.js'
import { type AbuseScene, abuseScene } from './abuse-scene.js'

/**
 * Room messages a sender crafts by hand, each sent with `room:send` to a room with one other member.
 * Each case says what the sender is answered (a code, or `ok`), what the member then receives (nothing,
 * or exactly the checked message), that the member's ack leaves nothing kept, and then the scene checks
 * that the server still serves.
 */

const IMAGE_FIELDS = { ...FILE_MESSAGE, type: 'image', width: 640, height: 480 }

/** A message laid out by hand: u32 JSON length, the JSON, then `tail`. */
function raw(json: string | object, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = Buffer.from(typeof json === 'string' ? json : JSON.stringify(json), 'utf8')
  const out = new Uint8Array(4 + body.length + tail.length)
  new DataView(out.buffer).setUint32(0, body.length)
  out.set(body, 4)
  out.set(tail, 4 + body.length)
  return out
}

interface MessageCase {
  name: string
  payload: () => Uint8Array
  /** The answer's code, or `ok`. */
  code: string
  /** What the other member receives, when the send is accepted. */
  delivered?: object
}

const depth = (MAX_MESSAGE_BYTES - 64) / 2

const cases: MessageCase[] = [
  {
    name: 'a text message claiming a thumbnail of 4 MB by its length',
    payload: () => raw({ type: 'text', text: 'hi', thumbnail: { length: 4_000_000 } }),
    code: 'invalid-argument',
  },
  {
    name: 'a file message claiming a thumbnail of 1 GiB by its length',
    payload: () => raw({ ...FILE_MESSAGE, thumbnail: { length: 2 ** 30, 0: 255 } }),
    code: 'invalid-argument',
  },
  {
    name: 'a text message with a binary tail',
    payload: () => raw({ type: 'text', text: 'hi' }, new Uint8Array(MAX_MESSAGE_BYTES / 2).fill(1)),
    code: 'invalid-argument',
  },
  {
    name: 'fields of the wrong type: a size as a string, a text as an object with a length',
    payload: () => raw({ ...FILE_MESSAGE, size: '1234', text: { length: 10 } }),
    code: 'invalid-argument',
  },
  {
    name: 'ids that are paths, and a negative image size',
    payload: () => raw({ ...IMAGE_FIELDS, mediaId: '../../../../etc/passwd', uploader: '..', width: -1 }),
    code: 'invalid-argument',
  },
  {
    name: 'an unknown message type',
    payload: () => raw({ type: 'video', text: 'hi', url: 'http://example.com' }),
    code: 'invalid-argument',
  },
  {
    name: 'an encoding one byte over MAX_MESSAGE_BYTES',
    payload: () => {
      const empty = encodeMessage({ type: 'text', text: '' }).length
      return encodeMessage({ type: 'text', text: 'x'.repeat(MAX_MESSAGE_BYTES - empty + 1) })
    },
    code: 'message-too-large',
  },
  {
    name: 'a thumbnail that fits the limit alone but not with the rest',
    payload: () => encodeMessage({ ...FILE_MESSAGE, thumbnail: new Uint8Array(MAX_MESSAGE_BYTES - 100) }),
    code: 'message-too-large',
  },
  {
    name: 'numbers written short, under the limit as sent but over it once written again',
    payload: () => {
      const json = (text: string) =>
        JSON.stringify({ ...IMAGE_FIELDS, size: 'N', expiresAt: 'N', width: 'N', height: 'N', text }).replaceAll(
          '"N"',
          '9e15',
        )
      return raw(json('x'.repeat(MAX_MESSAGE_BYTES - raw(json('')).length)))
    },
    code: 'message-too-large',
  },
  {
    name: 'JSON nested thousands deep',
    payload: () => raw(`{"type":"text","text":${'['.repeat(depth)}${']'.repeat(depth)}}`),
    code: 'invalid-argument',
  },
  {
    name: 'a JSON length claiming 4 GiB',
    payload: () => {
      const bytes = raw({ type: 'text', text: 'hi' })
      new DataView(bytes.buffer).setUint32(0, 0xffff_ffff)
      return bytes
    },
    code: 'invalid-argument',
  },
  {
    name: 'JSON that is not UTF-8',
    payload: () => {
      const bytes = raw('{"type":"text","text":"??"}')
      bytes.set([0xc3, 0x28], bytes.length - 4)
      return bytes
    },
    code: 'invalid-argument',
  },
  {
    name: 'text with a lone surrogate, escaped in the JSON',
    payload: () => raw('{"type":"text","text":"a\\ud800b"}'),
    code: 'invalid-argument',
  },
  {
    name: 'extra fields and a prototype key: the members get the checked fields only',
    payload: () =>
      raw(
        `{"__proto__":{"thumbnail":"x"},"evil":${JSON.stringify('x'.repeat(20_000))},${JSON.stringify(FILE_MESSAGE).slice(1)}`,
      ),
    code: 'ok',
    delivered: FILE_MESSAGE satisfies FileMessage,
  },
]

describe('message abuse: room messages crafted by hand', () => {
  let scene: AbuseScene
  let round = 0
  before(async () => {
    scene = await abuseScene()
  })
  after(() => scene.close())

  for (const abuse of cases) {
    test(abuse.name, async () => {
      const n = ++round
      const room = `abuse-${n}`
      const sender = openClient(scene.url, { userId: `sender-${n}` })
      const member = openClient(scene.url, { userId: `member-${n}` })
      try {
        await Promise.all([login(sender), login(member)])
        assert.equal(codeOf(await join(sender, room)), undefined)
        assert.equal(codeOf(await join(member, room)), undefined)
        const received: Uint8Array[] = []
        const acks: DeliveryRef[] = []
        member.on('message:deliver', ({ from, mid }, bytes) => {
          received.push(asBytes(bytes))
          acks.push({ from, mid })
        })

        const answer = await requestRaw(sender, 'room:send', { room }, abuse.payload())
        assert.equal(codeOf(answer) ?? 'ok', abuse.code)

        // A well-formed message after it: the member's first delivery tells what got through before.
        const marker = encodeMessage({ type: 'text', text: `marker ${n}` })
        assert.equal(codeOf(await requestRaw(sender, 'room:send', { room }, marker)), undefined)
        await withTimeout(
          new Promise<void>((resolve) => {
            const check = (): void => {
              if (received.some((bytes) => Buffer.from(bytes).equals(marker))) resolve()
              else setTimeout(check, 5)
            }
            check()
          }),
          'the marker reaching the member',
        )
        const before = received.slice(0, -1)
        if (abuse.delivered) {
          assert.equal(before.length, 1)
          assert.deepEqual(before[0], encodeMessage(abuse.delivered as FileMessage))
          assert.deepEqual(decodeMessage(before[0] ?? new Uint8Array()), { ok: true, message: abuse.delivered })
        } else assert.equal(before.length, 0, 'nothing reached the member')
        // What got through waits for the member's ack; once acked, nothing of the case is kept.
        assert.equal(await scene.server.deliveries.keptFor(`member-${n}`), received.length)
        assert.equal(codeOf(await requestRaw(member, 'message:ack', { deliveries: acks })), undefined)
      } finally {
        sender.close()
        member.close()
      }
      await scene.assertHealthy([`member-${n}`])
    })
  }
})
