import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FerryServerApi } from '@ferry/server-sdk'
import { loadConfig } from '../src/index.js'
import { ADMIN_KEY, startApiServer } from './api-helpers.js'
import { startServer } from './harness.js'

test('a server started without an admin key answers every API route with 403', async (t) => {
  const { server } = await startServer(t)
  for (const [method, path] of [
    ['GET', '/api/groups'],
    ['POST', '/api/messages'],
    ['PUT', '/api/files?cmd=sendfile&from=a&to=b'],
    ['PUT', '/api/upload?token=abc'],
    ['GET', '/api/nothing-here'],
  ] as const) {
    const res = await fetch(new URL(path, server.url), {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      ...(method === 'GET' ? {} : { body: '{}' }),
    })
    assert.equal(res.status, 403, `${method} ${path}`)
    const body = (await res.json()) as { code: string; message: string }
    assert.equal(body.code, 'bad-token')
    assert.match(body.message, /admin key/)
  }
  const api = new FerryServerApi({ url: server.url, adminKey: ADMIN_KEY })
  await assert.rejects(api.listGroups(), { code: 'bad-token' })
})

test('a missing or wrong admin key is refused with 401 bad-token', async (t) => {
  const { server, api } = await startApiServer(t)
  const wrong = new FerryServerApi({ url: server.url, adminKey: `${ADMIN_KEY}x` })
  await assert.rejects(wrong.sendMessage('alice', 'bob', 'hi'), { code: 'bad-token' })
  await assert.rejects(wrong.createGroup('g'), { code: 'bad-token' })
  const none = await fetch(new URL('/api/groups', server.url))
  assert.equal(none.status, 401)
  assert.deepEqual(await api.listGroups(), [], 'nothing was created by the refused calls')
})

test('an admin key shorter than 32 characters is refused, by the server and by the config', async () => {
  const { createSignalingServer } = await import('../src/index.js')
  await assert.rejects(createSignalingServer({ port: 0, adminKey: 'short' }), { code: 'invalid-argument' })
  assert.throws(() => loadConfig([], { FERRY_ADMIN_KEY: 'short' }), {
    code: 'invalid-argument',
    message: /FERRY_ADMIN_KEY/,
  })
  assert.equal(loadConfig(['--admin-key', ADMIN_KEY], {}).adminKey, ADMIN_KEY)
  assert.equal(loadConfig([], {}).adminKey, undefined)
})
