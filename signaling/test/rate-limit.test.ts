import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Ack } from '@ferry/protocol'
import { SIGNAL_BURST } from '../src/index.js'
import { login, request, startServer } from './harness.js'

test('a socket sending faster than the limit gets rate-limited; others are unaffected', async (t) => {
  const { connect } = await startServer(t)
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

  // The bucket is per socket.
  assert.deepEqual(await request(bob, 'link:request', { to: 'alice' }), { ok: true })
})
