import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  encodeFrame,
  encodeMessage,
  MAX_ACKS_PER_EVENT,
  MAX_PRESENCE_SUBSCRIPTIONS,
  MAX_RELAY_FRAME_BYTES,
  MAX_SIGNAL_BYTES,
} from '@ferry/protocol'
import { emitRaw, LINK, nextConnectError, nextEvent, requestRaw } from '../harness.js'
import { type AbuseScene, abuseScene } from './abuse-scene.js'
import { Abusers, answerCode, endedWith } from './socket-abuser.js'

/**
 * Socket.IO events as no Ferry client sends them: each row asserts the code the abuser sees (an answer,
 * a cut-off, a refused login), then the scene's checks (the server is up, a well-behaved pair still
 * exchanges a cmd, nothing was written to the media store, and no delivery waits for the users a row
 * names to acknowledge it).
 */

let scene: AbuseScene
const abusers = new Abusers(() => scene.url)
/** Small, so a row can fill a room. */
const MAX_ROOM_MEMBERS = 3

before(async () => {
  scene = await abuseScene({ limits: { maxRoomMembers: MAX_ROOM_MEMBERS } })
})
after(async () => {
  abusers.closeAll()
  await scene.close()
})

/** An object whose conversion to a string throws: `String()` of it once took the whole server down. */
const UNPRINTABLE = { toString: 1, valueOf: 1 }
const FRAME = encodeFrame({ type: 'end-ack', taskId: 1 })
const TEXT = encodeMessage({ type: 'text', text: 'hi' })
const MEDIA_ID = 'M'.repeat(32)

const CASES: { name: string; run(): Promise<void>; nothingKeptFor?: string[] }[] = [
  {
    name: 'relay:frame whose `to` cannot be printed: the sender is cut off with invalid-argument',
    run: async () => {
      const mallory = await abusers.user()
      assert.equal(
        await endedWith(mallory, () => emitRaw(mallory, 'relay:frame', { to: UNPRINTABLE }, FRAME)),
        'invalid-argument',
      )
    },
  },
  {
    name: 'relay:frame with no target object at all, or a target list: cut off with invalid-argument',
    run: async () => {
      for (const target of [undefined, null, 'bob', ['bob'], { to: ['bob'] }, { to: '..' }]) {
        const mallory = await abusers.user()
        assert.equal(await endedWith(mallory, () => emitRaw(mallory, 'relay:frame', target, FRAME)), 'invalid-argument')
      }
    },
  },
  {
    name: 'relay:frame whose frame is JSON, a string or missing: cut off with invalid-argument',
    run: async () => {
      const bob = await abusers.user()
      for (const frame of [{ type: 'cmd' }, 'AAEC', undefined, [1, 2, 3]]) {
        const mallory = await abusers.user()
        const code = await endedWith(mallory, () =>
          emitRaw(mallory, 'relay:frame', { to: bob.id && 'abuser-x' }, frame),
        )
        assert.equal(code, 'invalid-argument')
      }
    },
  },
  {
    name: 'relay:frame over MAX_RELAY_FRAME_BYTES or that is no frame: cut off with protocol-error',
    run: async () => {
      const bob = await abusers.user('relay-target')
      for (const bytes of [
        new Uint8Array(MAX_RELAY_FRAME_BYTES + 1),
        new Uint8Array([9, 9, 9]),
        FRAME.subarray(0, 3),
      ]) {
        const mallory = await abusers.user()
        assert.equal(
          await endedWith(mallory, () => emitRaw(mallory, 'relay:frame', { to: 'relay-target' }, bytes)),
          'protocol-error',
        )
      }
      bob.close()
    },
    nothingKeptFor: ['relay-target'],
  },
  {
    name: 'link:request whose `to` cannot be printed, is a list, or is missing: invalid-argument, no crash',
    run: async () => {
      const mallory = await abusers.user()
      for (const msg of [{ to: UNPRINTABLE }, { to: ['a'] }, {}, UNPRINTABLE, [], 42]) {
        assert.equal(await answerCode(mallory, 'link:request', msg), 'invalid-argument', JSON.stringify(msg))
      }
      assert.equal(await answerCode(mallory, 'link:request'), 'invalid-argument', 'no payload at all')
    },
  },
  {
    name: 'link:signal with data that is no SDP or ICE candidate is invalid-argument and reaches nobody',
    run: async () => {
      const mallory = await abusers.user()
      const target = await abusers.user('signal-target')
      let forwarded = 0
      target.on('link:signal', () => forwarded++)
      for (const data of [
        { type: 'offer', sdp: UNPRINTABLE },
        { type: 'transceiverRequest', transceiverRequest: { kind: 'video' } },
        { type: 'renegotiate', renegotiate: true },
        { type: 'candidate', candidate: { candidate: 'x'.repeat(5000) } },
        { type: 'offer', sdp: 'x'.repeat(MAX_SIGNAL_BYTES + 1) },
        { sdp: 'v=0' },
      ]) {
        const msg = { to: 'signal-target', link: LINK, data }
        assert.equal(
          await answerCode(mallory, 'link:signal', msg),
          'invalid-argument',
          JSON.stringify(data).slice(0, 60),
        )
      }
      assert.equal(forwarded, 0)
      target.close()
    },
    nothingKeptFor: ['signal-target'],
  },
  {
    name: 'a request to oneself is invalid-target; to someone offline peer-offline',
    run: async () => {
      const mallory = await abusers.user('self-sender')
      assert.equal(await answerCode(mallory, 'link:request', { to: 'self-sender' }), 'invalid-target')
      assert.equal(await answerCode(mallory, 'link:request', { to: 'nobody-here' }), 'peer-offline')
    },
  },
  {
    name: 'an ack event sent without asking for an ack, or with extra arguments, is still handled once',
    run: async () => {
      const mallory = await abusers.user()
      const target = await abusers.user('extra-target')
      const requested = nextEvent(target, 'link:request')
      emitRaw(mallory, 'link:request', { to: 'extra-target' })
      await requested
      assert.equal(await answerCode(mallory, 'room:join', { room: 'extra' }, 'more', { and: 'more' }), undefined)
      target.close()
    },
    nothingKeptFor: ['extra-target'],
  },
  {
    name: 'binary where JSON is expected, and JSON where binary is: invalid-argument',
    run: async () => {
      const mallory = await abusers.user()
      assert.equal(await answerCode(mallory, 'link:request', new Uint8Array([1, 2])), 'invalid-argument')
      assert.equal(await answerCode(mallory, 'room:join', { room: 'bin' }), undefined)
      assert.equal(
        await answerCode(mallory, 'room:send', { room: 'bin' }, { type: 'text', text: 'json' }),
        'invalid-argument',
      )
    },
  },
  {
    name: 'room ids that are lists, unprintable, dots only or too long: invalid-argument',
    run: async () => {
      const mallory = await abusers.user()
      for (const room of [['a'], UNPRINTABLE, '.', '..', 'x'.repeat(65), '', 'a/b', 42]) {
        assert.equal(await answerCode(mallory, 'room:join', { room }), 'invalid-argument', JSON.stringify(room))
      }
    },
  },
  {
    name: 'a 900 KB room id and a 1000-deep array are refused at once as invalid-argument',
    run: async () => {
      const mallory = await abusers.user()
      assert.equal(await answerCode(mallory, 'room:join', { room: 'x'.repeat(900_000) }), 'invalid-argument')
      const deep = JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`)
      assert.equal(await answerCode(mallory, 'room:join', deep), 'invalid-argument')
      assert.equal(await answerCode(mallory, 'room:join', { room: deep }), 'invalid-argument')
    },
  },
  {
    name: 'a room past maxRoomMembers refuses one more with too-many-recipients',
    run: async () => {
      const members = await Promise.all(Array.from({ length: MAX_ROOM_MEMBERS }, () => abusers.user()))
      for (const member of members) assert.equal(await answerCode(member, 'room:join', { room: 'full' }), undefined)
      const late = await abusers.user()
      assert.equal(await answerCode(late, 'room:join', { room: 'full' }), 'too-many-recipients')
      for (const member of members) member.close()
    },
  },
  {
    name: 'room:send to a room one is not in is not-a-member and reaches nobody',
    run: async () => {
      const mallory = await abusers.user()
      const member = await abusers.user()
      assert.equal(await answerCode(member, 'room:join', { room: 'private' }), undefined)
      let delivered = 0
      member.on('message:deliver', () => delivered++)
      assert.equal(await answerCode(mallory, 'room:send', { room: 'private' }, TEXT), 'not-a-member')
      assert.equal(delivered, 0)
    },
  },
  {
    name: 'room:send with an mtype of the wrong kind, a huge mtype, or attrs that are not text',
    run: async () => {
      const mallory = await abusers.user()
      assert.equal(await answerCode(mallory, 'room:join', { room: 'mtypes' }), undefined)
      assert.equal(await answerCode(mallory, 'room:send', { room: 'mtypes', mtype: 40 }, TEXT), 'invalid-mtype')
      assert.equal(await answerCode(mallory, 'room:send', { room: 'mtypes', mtype: 1e308 }, TEXT), 'invalid-mtype')
      assert.equal(await answerCode(mallory, 'room:send', { room: 'mtypes', mtype: '30' }, TEXT), 'invalid-argument')
      assert.equal(
        await answerCode(mallory, 'room:send', { room: 'mtypes', attrs: UNPRINTABLE }, TEXT),
        'invalid-argument',
      )
      assert.equal(await answerCode(mallory, 'room:send', { room: 'mtypes', mid: '../../x' }, TEXT), 'invalid-argument')
    },
  },
  {
    name: 'message:ack with too many deliveries, bad ids, a bad entry among good ones, or no list: invalid-argument, nothing acked',
    run: async () => {
      const sender = await abusers.user('ack-sender')
      const mallory = await abusers.user('acker')
      for (const client of [sender, mallory])
        assert.equal(await answerCode(client, 'room:join', { room: 'acks' }), undefined)
      const delivered = nextEvent(mallory, 'message:deliver')
      assert.equal(await answerCode(sender, 'room:send', { room: 'acks', mid: 'to-ack' }, TEXT), undefined)
      await delivered
      const good = { from: 'ack-sender', mid: 'to-ack' }
      const tooMany = Array.from({ length: MAX_ACKS_PER_EVENT + 1 }, () => good)
      for (const deliveries of [
        tooMany,
        [good, { from: '..', mid: 'to-ack' }],
        [good, { from: 'ack-sender', mid: '../../x' }],
        [{ from: UNPRINTABLE, mid: 'to-ack' }],
        [{ from: 'ack-sender' }],
        [['ack-sender', 'to-ack']],
        'all',
        { length: 4_000_000 },
      ]) {
        const code = await answerCode(mallory, 'message:ack', { deliveries })
        assert.equal(code, 'invalid-argument', JSON.stringify(deliveries).slice(0, 60))
      }
      for (const msg of [UNPRINTABLE, [good], 'to-ack', null]) {
        assert.equal(await answerCode(mallory, 'message:ack', msg), 'invalid-argument', String(JSON.stringify(msg)))
      }
      assert.equal(await answerCode(mallory, 'message:ack'), 'invalid-argument', 'no payload at all')
      assert.equal(await scene.server.deliveries.keptFor('acker'), 1, 'a refused ack acknowledges nothing')
      assert.equal(await answerCode(mallory, 'message:ack', { deliveries: [good] }), undefined)
      sender.close()
      mallory.close()
    },
    nothingKeptFor: ['acker'],
  },
  {
    name: 'media:holders with a bad media id or uploader is invalid-argument; media:have with one is dropped',
    run: async () => {
      const mallory = await abusers.user('have-sender')
      for (const msg of [{ mediaId: '../etc' }, { mediaId: UNPRINTABLE }, { mediaId: MEDIA_ID, uploader: '..' }]) {
        assert.equal(await answerCode(mallory, 'media:holders', msg), 'invalid-argument', JSON.stringify(msg))
      }
      emitRaw(mallory, 'media:have', { mediaId: '../../etc/passwd' })
      emitRaw(mallory, 'media:have', UNPRINTABLE)
      assert.deepEqual(await requestRaw(mallory, 'media:holders', { mediaId: MEDIA_ID }), { ok: true, holders: [] })
      assert.deepEqual(await scene.server.mediaHolders.heldBy('have-sender'), [])
    },
  },
  {
    name: 'presence:subscribe with more than MAX_PRESENCE_SUBSCRIPTIONS users, bad ids, or not a list: invalid-argument',
    run: async () => {
      const mallory = await abusers.user()
      const many = Array.from({ length: MAX_PRESENCE_SUBSCRIPTIONS + 1 }, (_, i) => `u${i}`)
      for (const users of [many, ['ok', '..'], [UNPRINTABLE], 'everyone', { length: 4_000_000 }]) {
        assert.equal(await answerCode(mallory, 'presence:subscribe', { users }), 'invalid-argument')
      }
    },
  },
  {
    name: 'following more users than allowed across requests is too-many-recipients and changes nothing',
    run: async () => {
      const mallory = await abusers.user('follower')
      const half = Math.ceil(MAX_PRESENCE_SUBSCRIPTIONS / 2) + 1
      const first = Array.from({ length: half }, (_, i) => `a${i}`)
      const second = Array.from({ length: half }, (_, i) => `b${i}`)
      assert.equal(await answerCode(mallory, 'presence:subscribe', { users: first }), undefined)
      assert.equal(await answerCode(mallory, 'presence:subscribe', { users: second }), 'too-many-recipients')
      assert.equal((await scene.server.presence.followedBy('follower')).length, half)
      mallory.close()
    },
  },
  {
    name: 'a login whose auth is not an object, names dots only, or carries a bad presence list is refused',
    run: async () => {
      for (const auth of [
        { userId: '..' },
        { userId: '.' },
        { userId: UNPRINTABLE },
        { userId: 'x', presence: ['..'] },
        { userId: 'x', presence: 'all' },
      ]) {
        const client = abusers.open(auth)
        const refused = nextConnectError(client)
        client.connect()
        assert.deepEqual((await refused).data, { code: 'invalid-argument' }, JSON.stringify(auth))
      }
    },
  },
  {
    name: 'unknown event names are ignored and cost only the sender',
    run: async () => {
      const mallory = await abusers.user()
      for (const name of ['hello', 'session:ready', '__proto__', 'constructor', 'x'.repeat(1000)])
        emitRaw(mallory, name, UNPRINTABLE)
      assert.equal(await answerCode(mallory, 'room:join', { room: 'after-unknown' }), undefined)
    },
  },
  {
    name: 'a payload with __proto__ and constructor keys pollutes nothing',
    run: async () => {
      const mallory = await abusers.user()
      const polluted = JSON.parse(
        '{"room": "proto", "__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}',
      )
      assert.equal(await answerCode(mallory, 'room:join', polluted), undefined)
      assert.equal(({} as { isAdmin?: unknown }).isAdmin, undefined)
      assert.equal(await answerCode(mallory, 'room:members', { room: 'proto' }), undefined)
    },
  },
]

for (const row of CASES) {
  test(row.name, async () => {
    await row.run()
    await scene.assertHealthy(row.nothingKeptFor ?? [])
  })
}
