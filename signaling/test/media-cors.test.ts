import assert from 'node:assert/strict'
import { test } from 'node:test'
import { content, newMediaId, startMediaServer, uploadAll } from './media-client.js'

const APP = 'https://app.example'

function preflight(url: string, origin: string, method: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type',
    },
  })
}

test('media routes answer CORS preflights and let allowed origins read answers and their size', async (t) => {
  const { server, user } = await startMediaServer(t, { corsOrigin: APP })
  const alice = await user('alice')
  const id = newMediaId()
  await uploadAll(alice.api, id, content(100), 100)

  const allowed = await preflight(`${server.url}/media/${id}/content?offset=0`, APP, 'PUT')
  assert.equal(allowed.status, 204)
  assert.equal(allowed.headers.get('access-control-allow-origin'), APP)
  const methods = (allowed.headers.get('access-control-allow-methods') ?? '').split(/,\s*/)
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) assert.ok(methods.includes(method), method)
  const headers = (allowed.headers.get('access-control-allow-headers') ?? '').split(/,\s*/)
  for (const header of ['authorization', 'content-type', 'range']) assert.ok(headers.includes(header), header)

  const refused = await preflight(`${server.url}/media/${id}`, 'https://evil.example', 'GET')
  assert.equal(refused.headers.get('access-control-allow-origin'), null)

  const download = await alice.api.call('GET', id, { headers: { origin: APP, range: 'bytes=50-' } })
  assert.equal(download.status, 206)
  assert.equal(download.headers.get('access-control-allow-origin'), APP)
  const exposed = (download.headers.get('access-control-expose-headers') ?? '').split(/,\s*/)
  assert.ok(exposed.includes('content-length') && exposed.includes('content-range'))
  assert.equal((await download.arrayBuffer()).byteLength, 50)

  const error = await alice.api.call('GET', `${newMediaId()}/info`, { headers: { origin: APP } })
  assert.equal(error.headers.get('access-control-allow-origin'), APP)
  assert.equal(((await error.json()) as { code: string }).code, 'media-not-found')
})

test('with any origin allowed, the media routes echo whichever origin asks', async (t) => {
  const { server } = await startMediaServer(t)
  const res = await preflight(`${server.url}/media/${newMediaId()}`, 'http://localhost:5173', 'POST')
  assert.equal(res.status, 204)
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173')
})
