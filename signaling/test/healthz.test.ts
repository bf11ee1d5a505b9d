import assert from 'node:assert/strict'
import { test } from 'node:test'
import { login, startServer } from './harness.js'

test('GET /healthz reports the server up with the number of users online; other paths are 404', async (t) => {
  const { server, connect } = await startServer(t)

  const empty = await fetch(`${server.url}/healthz`)
  assert.equal(empty.status, 200)
  assert.match(empty.headers.get('content-type') ?? '', /application\/json/)
  assert.deepEqual(await empty.json(), { ok: true, users: 0 })

  await login(connect({ userId: 'alice' }))
  await login(connect({ userId: 'bob' }))
  const two = await fetch(`${server.url}/healthz`)
  assert.deepEqual(await two.json(), { ok: true, users: 2 })

  const missing = await fetch(`${server.url}/nope`)
  assert.equal(missing.status, 404)
  await missing.body?.cancel()
  const post = await fetch(`${server.url}/healthz`, { method: 'POST' })
  assert.equal(post.status, 404)
  await post.body?.cancel()
})
