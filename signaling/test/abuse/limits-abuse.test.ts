import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { encodeMessage } from '@ferry/protocol'
import { emitRaw, nextConnectError, nextEvent, requestRaw } from '../harness.js'
import { type AbuseScene, abuseScene } from './abuse-scene.js'
import { Abusers, answerCode, codeOf, endedWith } from './socket-abuser.js'

/**
 * Floods: each row spends a budget past its end and asserts the code the flooder sees, that
 * reconnecting does not refill it, and that everyone else is served (the scene's checks). Budgets that
 * refill take a rate so low it cannot refill within the test, so no row races a clock.
 */

/** Tokens a second for the budgets under test: one every ~17 minutes, none within a test. */
const NO_REFILL = 0.001

let scene: AbuseScene
const abusers = new Abusers(() => scene.url)

before(async () => {
  scene = await abuseScene({
    limits: {
      events: { perSecond: NO_REFILL, burst: 300 },
      signals: { perSecond: NO_REFILL, burst: 20 },
      rooms: { perSecond: NO_REFILL, burst: 20 },
      media: { perSecond: NO_REFILL, burst: 20 },
      presence: { perSecond: NO_REFILL, burst: 5 },
      fanout: { perSecond: NO_REFILL, burst: 4 },
      acks: { perSecond: NO_REFILL, burst: 5 },
      loginsPerUser: { perSecond: NO_REFILL, burst: 3 },
    },
  })
})
after(async () => {
  abusers.closeAll()
  await scene.close()
})

const TEXT = encodeMessage({ type: 'text', text: 'hi' })

/** Sends `count` requests at once and resolves with their codes. */
async function burst(count: number, send: () => Promise<unknown>): Promise<(string | undefined)[]> {
  return (await Promise.all(Array.from({ length: count }, send))).map(codeOf)
}

const CASES: { name: string; run(): Promise<void> }[] = [
  {
    name: 'signals past the budget are rate-limited, and a reconnect does not refill them',
    run: async () => {
      const mallory = await abusers.user('signal-flooder')
      const codes = await burst(30, () => requestRaw(mallory, 'link:request', { to: 'nobody' }))
      assert.equal(codes.filter((code) => code === 'peer-offline').length, 20)
      assert.equal(codes.filter((code) => code === 'rate-limited').length, 10)
      mallory.close()
      const again = await abusers.user('signal-flooder')
      assert.equal(await answerCode(again, 'link:request', { to: 'nobody' }), 'rate-limited')
    },
  },
  {
    name: 'malformed requests cost the budget like good ones',
    run: async () => {
      const mallory = await abusers.user()
      const codes = await burst(25, () => requestRaw(mallory, 'room:join', { room: '..' }))
      assert.equal(codes.filter((code) => code === 'invalid-argument').length, 20)
      assert.equal(codes.filter((code) => code === 'rate-limited').length, 5)
    },
  },
  {
    name: 'media holder requests past the budget are rate-limited; announcements past it are dropped',
    run: async () => {
      const mallory = await abusers.user('holder-flooder')
      for (let i = 0; i < 30; i++)
        emitRaw(mallory, 'media:have', { mediaId: `${'H'.repeat(30)}${String(i).padStart(2, '0')}` })
      assert.equal(await answerCode(mallory, 'media:holders', { mediaId: 'M'.repeat(32) }), 'rate-limited')
      assert.equal((await scene.server.mediaHolders.heldBy('holder-flooder')).length, 20)
    },
  },
  {
    name: 'presence requests past the budget are rate-limited',
    run: async () => {
      const mallory = await abusers.user()
      const codes = await burst(8, () => requestRaw(mallory, 'presence:subscribe', { users: ['someone'] }))
      assert.deepEqual(codes, [
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        'rate-limited',
        'rate-limited',
        'rate-limited',
      ])
    },
  },
  {
    name: 'delivery acks past the budget are rate-limited and acknowledge nothing; a reconnect does not refill them',
    run: async () => {
      const sender = await abusers.user('ack-source')
      const mallory = await abusers.user('ack-flooder')
      for (const client of [sender, mallory])
        assert.equal(await answerCode(client, 'room:join', { room: 'acks' }), undefined)
      const delivered = nextEvent(mallory, 'message:deliver')
      assert.equal(await answerCode(sender, 'room:send', { room: 'acks', mid: 'kept' }, TEXT), undefined)
      await delivered
      const unknown = { deliveries: [{ from: 'nobody', mid: 'unknown' }] }
      const codes = await burst(5, () => requestRaw(mallory, 'message:ack', unknown))
      assert.deepEqual(codes, [undefined, undefined, undefined, undefined, undefined])
      const kept = { deliveries: [{ from: 'ack-source', mid: 'kept' }] }
      assert.equal(await answerCode(mallory, 'message:ack', kept), 'rate-limited')
      assert.equal(await scene.server.deliveries.keptFor('ack-flooder'), 1)
      mallory.close()
      const again = await abusers.user('ack-flooder')
      assert.equal(await answerCode(again, 'message:ack', kept), 'rate-limited')
      assert.equal(await scene.server.deliveries.keptFor('ack-flooder'), 1)
      sender.close()
      again.close()
    },
  },
  {
    name: 'room messages past the fan-out budget are rate-limited and reach nobody',
    run: async () => {
      const members = await Promise.all([abusers.user(), abusers.user()])
      let delivered = 0
      for (const member of members) {
        member.on('message:deliver', () => delivered++)
        assert.equal(await answerCode(member, 'room:join', { room: 'fanout' }), undefined)
      }
      const mallory = await abusers.user()
      assert.equal(await answerCode(mallory, 'room:join', { room: 'fanout' }), undefined)
      assert.equal(await answerCode(mallory, 'room:send', { room: 'fanout' }, TEXT), undefined)
      assert.equal(await answerCode(mallory, 'room:send', { room: 'fanout' }, TEXT), undefined)
      assert.equal(await answerCode(mallory, 'room:send', { room: 'fanout' }, TEXT), 'rate-limited')
      // A round trip for each member, so any delivery would have arrived.
      for (const member of members) await requestRaw(member, 'room:members', { room: 'fanout' })
      assert.equal(delivered, 4)
    },
  },
  {
    name: 'a flood of events of any kind ends the session with rate-limited, and the budget outlives it',
    run: async () => {
      const mallory = await abusers.user('event-flooder')
      const code = await endedWith(mallory, () => {
        for (let i = 0; i < 400; i++) emitRaw(mallory, 'no-such-event', i)
      })
      assert.equal(code, 'rate-limited')
      const again = await abusers.user('event-flooder')
      assert.equal(await endedWith(again, () => emitRaw(again, 'no-such-event', 0)), 'rate-limited')
    },
  },
  {
    name: 'logins as one user id past its budget are refused with rate-limited; other users log in',
    run: async () => {
      for (let i = 0; i < 3; i++) (await abusers.user('login-flooder')).close()
      const refused = abusers.open({ userId: 'login-flooder' })
      const error = nextConnectError(refused)
      refused.connect()
      assert.deepEqual((await error).data, { code: 'rate-limited' })
    },
  },
]

for (const row of CASES) {
  test(row.name, async () => {
    await row.run()
    await scene.assertHealthy()
  })
}
