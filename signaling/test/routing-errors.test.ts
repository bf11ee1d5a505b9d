import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_SIGNAL_BYTES } from '@ferry/protocol'
import { candidate, LINK, login, nextEvent, request, requestRaw, startServer } from './harness.js'

test('a request to a user who is not online is refused with peer-offline', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  await login(alice)
  assert.deepEqual(await request(alice, 'link:request', { to: 'nobody' }), {
    ok: false,
    code: 'peer-offline',
    message: 'nobody is not online',
  })
  const signal = await request(alice, 'link:signal', { to: 'nobody', link: LINK, data: candidate(0) })
  assert.equal(signal.ok === false && signal.code, 'peer-offline')
})

test('a request to oneself is refused with invalid-target', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  await login(alice)
  const req = await request(alice, 'link:request', { to: 'alice' })
  assert.equal(req.ok === false && req.code, 'invalid-target')
  const signal = await request(alice, 'link:signal', { to: 'alice', link: LINK, data: candidate(0) })
  assert.equal(signal.ok === false && signal.code, 'invalid-target')
})

test('malformed payloads are refused with invalid-argument and the server keeps serving', async (t) => {
  const { connect } = await startServer(t)
  const alice = connect({ userId: 'alice' })
  const bob = connect({ userId: 'bob' })
  await login(alice)
  await login(bob)

  const oversize = { type: 'offer', sdp: 'x'.repeat(MAX_SIGNAL_BYTES + 1) }
  const malformedRequests: unknown[] = [42, 'bob', null, true, ['bob'], {}, { to: 42 }, { to: '' }, { to: 'a b' }]
  const malformedSignals: unknown[] = [
    42,
    'bob',
    null,
    [{ to: 'bob', link: LINK, data: {} }],
    {},
    { to: 'bob', link: LINK },
    { to: 'bob', data: {} },
    { link: LINK, data: {} },
    { to: 'bob', link: 'short', data: {} },
    { to: 'bob', link: 'has space in it', data: {} },
    { to: 'bob', link: 'x'.repeat(65), data: {} },
    { to: 'bob', link: LINK, data: 42 },
    { to: 'bob', link: LINK, data: 'offer' },
    { to: 'bob', link: LINK, data: null },
    { to: 'bob', link: LINK, data: [1, 2] },
    { to: 'bob', link: LINK, data: oversize },
    { to: 'bob', link: LINK, data: {} },
    { to: 'bob', link: LINK, data: { type: 'offer' } },
    { to: 'bob', link: LINK, data: { type: 'offer', sdp: 42 } },
    { to: 'bob', link: LINK, data: { type: 'candidate', candidate: 'x' } },
    { to: 'bob', link: LINK, data: { type: 'renegotiate', renegotiate: true } },
    { to: 'bob', link: LINK, data: { type: 'transceiverRequest', transceiverRequest: { kind: 'video' } } },
  ]
  for (const msg of malformedRequests) {
    const ack = (await requestRaw(alice, 'link:request', msg)) as { ok: boolean; code?: string }
    assert.equal(ack.code, 'invalid-argument', `link:request ${JSON.stringify(msg)}`)
  }
  for (const msg of malformedSignals) {
    const ack = (await requestRaw(alice, 'link:signal', msg)) as { ok: boolean; code?: string }
    assert.equal(ack.code, 'invalid-argument', `link:signal ${JSON.stringify(msg)?.slice(0, 80)}`)
  }
  // No payload at all.
  assert.equal(((await requestRaw(alice, 'link:signal')) as { code?: string }).code, 'invalid-argument')

  // Data just under the limit still goes through, and everyone is still served.
  const largest = {
    type: 'offer',
    sdp: 'x'.repeat(MAX_SIGNAL_BYTES - JSON.stringify({ type: 'offer', sdp: '' }).length),
  } as const
  const received = nextEvent(bob, 'link:signal')
  assert.deepEqual(await request(alice, 'link:signal', { to: 'bob', link: LINK, data: largest }), { ok: true })
  assert.deepEqual((await received).data, largest)
  const requested = nextEvent(alice, 'link:request')
  assert.deepEqual(await request(bob, 'link:request', { to: 'alice' }), { ok: true })
  assert.deepEqual(await requested, { from: 'bob' })
})
