import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  candidate,
  candidateNumber,
  LINK,
  login,
  nextEvent,
  recordEvents,
  request,
  requestRaw,
  startServer,
  withTimeout,
} from './harness.js'

test('link:request and link:signal reach exactly the target, from the sender the server authenticated', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  const carol = connect({ userId: 'carol' })
  await login(alice)
  await login(bob)
  await login(carol)
  const carolSaw = recordEvents(carol)

  const requested = nextEvent(bob, 'link:request')
  assert.deepEqual(await requestRaw(alice, 'link:request', { to: 'bob', from: 'carol' }), { ok: true })
  assert.deepEqual(await requested, { from: 'alice' })

  const signal = nextEvent(bob, 'link:signal')
  const data = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }
  const sent = { to: 'bob', link: LINK, data, from: 'carol' }
  assert.deepEqual(await requestRaw(alice, 'link:signal', sent), { ok: true })
  assert.deepEqual(await signal, { from: 'alice', link: LINK, data })

  // Carol got nothing: the first event she sees is one sent to her after the others.
  const barrier = nextEvent(carol, 'link:signal')
  assert.deepEqual(await request(alice, 'link:signal', { to: 'carol', link: LINK, data: candidate(0) }), {
    ok: true,
  })
  await barrier
  assert.deepEqual(carolSaw, [{ name: 'link:signal', args: [{ from: 'alice', link: LINK, data: candidate(0) }] }])
})

test('signals from one sender arrive in the order they were sent', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  const count = 50
  const received: number[] = []
  const all = new Promise<void>((resolve) => {
    bob.on('link:signal', (msg) => {
      received.push(candidateNumber(msg.data))
      if (received.length === count) resolve()
    })
  })
  const acks = Array.from({ length: count }, (_, n) =>
    request(alice, 'link:signal', { to: 'bob', link: LINK, data: candidate(n) }),
  )
  for (const ack of await Promise.all(acks)) assert.deepEqual(ack, { ok: true })
  await withTimeout(all, 'bob receiving every signal')
  assert.deepEqual(
    received,
    Array.from({ length: count }, (_, n) => n),
  )
})
