import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Ack } from '@ferry/protocol'
import { DEFAULT_LIMITS } from '../src/index.js'
import { login, nextConnectError, request, startServer } from './harness.js'

const SIGNAL_BURST = DEFAULT_LIMITS.signals.burst

test('a user sending faster than the limit gets rate-limited, reconnecting does not refill it, others are unaffected', async (t) => {
  // The default burst, and a refill too slow to matter however long the reconnect takes.
  const { connect } = await startServer(t, { limits: { signals: { perSecond: 0.001, burst: SIGNAL_BURST } } })
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  // Sent at once: the first SIGNAL_BURST fit the full bucket, and the rest arrive far faster than it refills.
  const acks: Ack[] = await Promise.all(
    Array.from({ length: SIGNAL_BURST + 100 }, () => request(alice, 'link:request', { to: 'nobody' })),
  )
  const codes = acks.map((ack) => (ack.ok ? 'ok' : ack.code))
  assert.ok(
    codes.slice(0, SIGNAL_BURST).every((code) => code === 'peer-offline'),
    'the burst is served',
  )
  assert.ok(codes.includes('rate-limited'), 'requests beyond the burst are refused')
  const limited = acks.find((ack) => !ack.ok && ack.code === 'rate-limited')
  assert.equal(typeof (limited as { message?: unknown }).message, 'string')

  // The budget is the user's: a new connection as alice finds it as the old one left it.
  alice.disconnect()
  const again = connect({ userId: 'alice' })
  await login(again)
  const after: Ack[] = await Promise.all(
    Array.from({ length: 20 }, () => request(again, 'link:request', { to: 'nobody' })),
  )
  assert.ok(
    after.some((ack) => !ack.ok && ack.code === 'rate-limited'),
    'a reconnect does not refill the budget',
  )

  // Other users have budgets of their own.
  assert.deepEqual(await request(bob, 'link:request', { to: 'alice' }), { ok: true })
})

test('logins are limited per user id and per address, with rate-limited', async (t) => {
  const { connect } = await startServer(t, {
    limits: {
      loginsPerUser: { perSecond: 0.001, burst: 2 },
      loginsPerAddress: { perSecond: 0.001, burst: 5 },
    },
  })
  await login(connect({ userId: 'alice' }))
  await login(connect({ userId: 'alice' }))
  const third = connect({ userId: 'alice' })
  const refused = nextConnectError(third)
  third.connect()
  const error = await refused
  assert.deepEqual(error.data, { code: 'rate-limited' })

  // Three logins so far from this address; two more fit, then the address is refused whoever logs in.
  await login(connect({ userId: 'bob' }))
  await login(connect({ userId: 'carol' }))
  const dave = connect({ userId: 'dave' })
  const daveRefused = nextConnectError(dave)
  dave.connect()
  assert.deepEqual((await daveRefused).data, { code: 'rate-limited' })
})
