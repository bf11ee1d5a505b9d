import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEFAULT_OFFER, login, startServer } from './harness.js'
import { content, MediaApi, newMediaId, uploadRequest } from './media-client.js'

test('with media off, session:ready offers no store and every media route answers 404', async (t) => {
  const { server, connect } = await startServer(t, { media: false })
  const { media: _, ...offer } = DEFAULT_OFFER
  assert.deepEqual(await login(connect({ userId: 'alice' })), { userId: 'alice', online: [], ...offer })
  assert.equal(server.media, undefined)

  const api = new MediaApi(server.url, 'any')
  const id = newMediaId()
  for (const res of [
    await api.start(id, uploadRequest(content(10))),
    await api.put(id, 0, content(10)),
    await api.info(id),
    await api.download(id),
    await api.delete(id),
  ]) {
    assert.equal(res.status, 404)
    assert.deepEqual(await res.json(), { code: 'media-not-found', message: 'this server keeps no media' })
  }
  assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { ok: true, users: 1 })
})
