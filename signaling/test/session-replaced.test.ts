import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  candidate,
  DEFAULT_OFFER,
  LINK,
  login,
  nextDisconnect,
  nextEvent,
  recordEvents,
  request,
  startServer,
  withoutMediaKey,
} from './harness.js'

test('a second login of the same user id replaces the first without an offline blip', async (t) => {
  const { server, connect } = await startServer(t)
  const observer = connect({ userId: 'observer', presence: ['alice'] })
  await login(observer)
  const first = connect({ userId: 'alice' })
  const online = nextEvent(observer, 'presence:online')
  await login(first)
  assert.deepEqual(await online, { userId: 'alice' })

  const seen = recordEvents(observer)
  const ended = nextEvent(first, 'session:ended')
  const gone = nextDisconnect(first)
  const second = connect({ userId: 'alice', presence: ['observer'] })
  assert.deepEqual(withoutMediaKey(await login(second)), { userId: 'alice', online: ['observer'], ...DEFAULT_OFFER })

  const endedMsg = await ended
  assert.equal(endedMsg.code, 'session-replaced')
  assert.equal(typeof endedMsg.message, 'string')
  assert.equal(await gone, 'io server disconnect')

  // The new session works both ways; the signal also marks the point by which an offline event would have arrived.
  const signal = nextEvent(observer, 'link:signal')
  assert.deepEqual(await request(second, 'link:signal', { to: 'observer', link: LINK, data: candidate(1) }), {
    ok: true,
  })
  assert.deepEqual(await signal, { from: 'alice', link: LINK, data: candidate(1) })
  assert.deepEqual(
    seen.map((e) => e.name),
    ['link:signal'],
  )

  const requested = nextEvent(second, 'link:request')
  assert.deepEqual(await request(observer, 'link:request', { to: 'alice' }), { ok: true })
  assert.deepEqual(await requested, { from: 'observer' })

  const health = await fetch(`${server.url}/healthz`)
  assert.deepEqual(await health.json(), { ok: true, users: 2 })
})
