import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { uploadWithToken } from '@ferry/server-sdk'
import { DEFAULT_ROOM_CAPS } from '../src/rooms/room-store.js'
import { assertNothingMore, deliveriesOf, startApiServer } from './api-helpers.js'

test('a file token lets a client send one file as the user, once, without the admin key', async (t) => {
  const { server, api, online } = await startApiServer(t)
  const bob = await online('bob')
  const bystander = await online('bystander')
  const { token, endpoint, expiresAt } = await api.fileToken('alice', 'sendfile', { to: 'bob' })
  assert.equal(endpoint, `/api/upload?token=${token}`)
  assert.ok(expiresAt > Date.now())

  const bytes = randomBytes(20_000)
  const sent = await uploadWithToken(server.url, endpoint, bytes, {
    fileName: 'from-client.bin',
    attrs: 'x',
    mid: 'tok-1',
  })
  const [got] = await deliveriesOf(bob, 1)
  assert.equal(got?.from, 'alice')
  assert.equal(got?.mid, 'tok-1')
  assert.equal(got?.attrs, 'x')
  assert.equal(got?.message.type === 'file' && got.message.mediaId, sent.mediaId)
  assert.equal(got?.message.type === 'file' && got.message.fileName, 'from-client.bin')

  await assert.rejects(uploadWithToken(server.url, token, bytes), { code: 'bad-token' })
  await assertNothingMore(api, bob, bystander)
  assert.equal(bob.deliveries.length, 1)
  assert.equal(bystander.deliveries.length, 0)
})

test('an expired, unknown or other-target token is refused with bad-token', async (t) => {
  let now = Date.now()
  const { server, api, online } = await startApiServer(t, { serverApi: { fileTokenTtlMs: 1000, now: () => now } })
  const bob = await online('bob')
  const expired = await api.fileToken('alice', 'sendfile', { to: 'bob' })
  now += 1000
  await assert.rejects(uploadWithToken(server.url, expired.token, randomBytes(10)), { code: 'bad-token' })
  await assert.rejects(uploadWithToken(server.url, 'A'.repeat(43), randomBytes(10)), { code: 'bad-token' })

  for (const query of ['to=carol', 'cmd=sendfiles', 'from=mallory', 'gid=team', 'tos=bob,carol']) {
    const { endpoint } = await api.fileToken('alice', 'sendfile', { to: 'bob' })
    const res = await fetch(new URL(`${endpoint}&${query}`, server.url), { method: 'PUT', body: randomBytes(10) })
    assert.equal(res.status, 401, query)
    assert.equal(((await res.json()) as { code: string }).code, 'bad-token')
  }
  // Repeating the token's own target is fine.
  const many = await api.fileToken('alice', 'sendfiles', { tos: ['bob', 'carol'] })
  const res = await fetch(new URL(`${many.endpoint}&cmd=sendfiles&tos=carol,bob&from=alice`, server.url), {
    method: 'PUT',
    body: randomBytes(10),
  })
  assert.equal(res.status, 200)
  await deliveriesOf(bob, 1)
  await assertNothingMore(api, bob)
  assert.equal(bob.deliveries.length, 1)
})

test('tokens are refused for broadcasts, non-members, unknown groups and bad targets', async (t) => {
  const { server, api } = await startApiServer(t)
  await api.createGroup('others', ['bob'])
  await server.rooms.join('bob', 'lobby', DEFAULT_ROOM_CAPS)
  await assert.rejects(api.fileToken('alice', 'broadcastfile' as 'sendfile', {}), { code: 'invalid-argument' })
  await assert.rejects(api.fileToken('alice', 'sendgroupfile', { gid: 'others' }), { code: 'not-a-member' })
  await assert.rejects(api.fileToken('alice', 'sendgroupfile', { gid: 'none' }), { code: 'unknown-target' })
  await assert.rejects(api.fileToken('alice', 'sendroomfile', { rid: 'lobby' }), { code: 'not-a-member' })
  await assert.rejects(api.fileToken('alice', 'sendfile', { to: 'alice' }), { code: 'invalid-target' })
  await assert.rejects(api.fileToken('alice', 'sendfile', { gid: 'others' }), { code: 'invalid-argument' })
})
