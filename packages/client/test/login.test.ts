import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createSignalingServer, type SignalingServer } from '@ferry/signaling'
import wrtc from '@roamhq/wrtc'
import { SignJWT } from 'jose'
import { FerryClient } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { next } from './helpers.js'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256'
let server: SignalingServer
const clients: FerryClient[] = []

before(async () => {
  server = await createSignalingServer({ port: 0, jwtSecret: SECRET })
})
after(async () => {
  for (const client of clients) await client.close()
  await server.close()
})

function token(sub: string, secret = SECRET): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret))
}

function client(options: { userId?: string; token?: string }): FerryClient {
  const c = new FerryClient({ url: server.url, platform: nodePlatform({ wrtc }), ...options })
  clients.push(c)
  return c
}

test('a token signed with another secret is refused with bad-token', async () => {
  const forged = client({ token: await token('alice', 'not-the-server-secret-at-all-no-no') })
  await assert.rejects(forged.connect(), { code: 'bad-token' })
  assert.equal(forged.userId, undefined)
})

test('without a token, a claimed user id is refused when the server requires tokens', async () => {
  await assert.rejects(client({ userId: 'alice' }).connect(), { code: 'bad-token' })
})

test('the user id comes from the token, not from what the client claims', async () => {
  const mallory = client({ userId: 'bob', token: await token('mallory') })
  await mallory.connect()
  assert.equal(mallory.userId, 'mallory')
  const bob = client({ token: await token('bob') })
  await bob.connect()
  const received = next(bob, 'cmd')
  await mallory.sendCmd('bob', 'who am i').done
  assert.equal((await received).from, 'mallory')
})

test('an unreachable server fails connect with server-unreachable', async () => {
  const lost = new FerryClient({ url: 'http://127.0.0.1:1', userId: 'x', platform: nodePlatform({ wrtc }) })
  await assert.rejects(lost.connect(), { code: 'server-unreachable' })
})
