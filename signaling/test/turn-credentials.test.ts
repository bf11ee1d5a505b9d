import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { test } from 'node:test'
import { FerryError, TURN_CREDENTIAL_TTL_SECONDS } from '@ferry/protocol'
import { createSignalingServer, turnCredentials } from '../src/index.js'
import { login, startServer } from './harness.js'

const SECRET = 'a-turn-secret-that-is-32-bytes-or-more'
const URLS = ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349']

test('TURN credentials follow the TURN REST scheme: <expiry>:<user> and base64 HMAC-SHA1 of it', () => {
  const nowMs = 1_700_000_000_123
  const server = turnCredentials({ secret: SECRET, urls: URLS }, 'alice@example.com', nowMs, 600)
  assert.deepEqual(server, {
    urls: URLS,
    username: '1700000600:alice@example.com',
    credential: createHmac('sha1', SECRET).update('1700000600:alice@example.com').digest('base64'),
  })
  // A known answer, from `printf 1:u | openssl dgst -sha1 -hmac secret -binary | base64`.
  const known = turnCredentials({ secret: 'secret', urls: ['turn:a'] }, 'u', 0, 1)
  assert.deepEqual(known, { urls: ['turn:a'], username: '1:u', credential: 'KUHD1CkWw8p55pIgHmyFn2XyOzY=' })
})

test('session:ready hands out fresh TURN credentials for the user when configured, none otherwise', async (t) => {
  const { connect } = await startServer(t, { turnSecret: SECRET, turnUrls: URLS })
  const before = Math.floor(Date.now() / 1000)
  const ready = await login(connect({ userId: 'alice' }))
  const after = Math.floor(Date.now() / 1000)
  const [ice, ...more] = ready.iceServers
  assert.equal(more.length, 0)
  assert.deepEqual(ice?.urls, URLS)
  const [expiry, user] = (ice?.username ?? '').split(':')
  assert.equal(user, 'alice')
  assert.ok(
    Number(expiry) >= before + TURN_CREDENTIAL_TTL_SECONDS && Number(expiry) <= after + TURN_CREDENTIAL_TTL_SECONDS,
  )
  assert.equal(
    ice?.credential,
    createHmac('sha1', SECRET)
      .update(ice?.username ?? '')
      .digest('base64'),
  )

  const plain = await startServer(t)
  assert.deepEqual((await login(plain.connect({ userId: 'bob' }))).iceServers, [])
})

test('createSignalingServer refuses half or weak TURN settings and a relay rate below one frame', async () => {
  const refused = (pattern: RegExp) => (error: unknown) =>
    error instanceof FerryError && error.code === 'invalid-argument' && pattern.test(error.message)
  await assert.rejects(createSignalingServer({ port: 0, turnSecret: SECRET }), refused(/turnSecret needs turnUrls/))
  await assert.rejects(createSignalingServer({ port: 0, turnUrls: URLS }), refused(/turnUrls needs turnSecret/))
  await assert.rejects(createSignalingServer({ port: 0, turnSecret: 'short', turnUrls: URLS }), refused(/32 bytes/))
  await assert.rejects(
    createSignalingServer({ port: 0, turnSecret: SECRET, turnUrls: ['stun:a:1'] }),
    refused(/turn: or turns:/),
  )
  await assert.rejects(createSignalingServer({ port: 0, relayBytesPerSecond: 1000 }), refused(/relayBytesPerSecond/))
})
