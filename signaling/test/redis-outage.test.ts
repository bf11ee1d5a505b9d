import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { FerryClient } from '@ferry/client'
import { findRedisServer, startRedis } from '../../packages/devkit/redis-server.mjs'
import { createSignalingServer } from '../src/index.js'

/** How long the server may take to see Redis back, on a loaded machine (reconnects back off to 2 s). */
const BACK_TIMEOUT_MS = 30_000
const POLL_MS = 100

async function health(url: string): Promise<number> {
  return (await fetch(`${url}/healthz`)).status
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + BACK_TIMEOUT_MS
  while (!(await check())) {
    assert.ok(Date.now() < deadline, what)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

test('Redis going away fails state calls (health answers 500) without ending the server, which reconnects when it is back', async (t) => {
  const redis = await startRedis()
  t.after(() => redis.stop())
  const warnings: string[] = []
  const server = await createSignalingServer({
    port: 0,
    host: '127.0.0.1',
    media: false,
    redisUrl: redis.url,
    logger: { info() {}, warn: (message) => warnings.push(message) },
  })
  t.after(() => server.close())
  assert.equal(await health(server.url), 200)

  await redis.stop()
  await until(async () => (await health(server.url)) === 500, 'health reports the store unavailable')
  assert.ok(
    warnings.some((w) => w.startsWith('redis (state)')),
    'the outage is logged',
  )

  // Redis back on the same port (a restart of the same instance).
  const again = spawn(findRedisServer()!, ['--port', String(redis.port), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  })
  t.after(() => {
    again.kill('SIGKILL')
  })
  await until(async () => (await health(server.url)) === 200, 'the server is healthy again once Redis is back')
})

test('a node started while Redis is away serves once it is back, subscribed to what it asked for meanwhile', async (t) => {
  // A port Redis will come up on: taken by a throwaway server, then freed.
  const first = await startRedis()
  const port = first.port
  const url = first.url
  await first.stop()
  const nodeA = await createSignalingServer({ port: 0, host: '127.0.0.1', media: false, redisUrl: url })
  t.after(() => nodeA.close())
  assert.equal(await health(nodeA.url), 500, 'no store yet')

  const redis = spawn(findRedisServer()!, ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore',
  })
  t.after(() => {
    redis.kill('SIGKILL')
  })
  await until(async () => (await health(nodeA.url)) === 200, 'node A is healthy once Redis is up')
  const nodeB = await createSignalingServer({ port: 0, host: '127.0.0.1', media: false, redisUrl: url })
  t.after(() => nodeB.close())

  // A login on B replacing one on A reaches A through the namespace's channel, which A subscribed to
  // while Redis was away: the old session is told and closed.
  const onA = new FerryClient({ url: nodeA.url, userId: 'early-node-user' })
  t.after(() => onA.close())
  await onA.connect()
  const ended = new Promise((resolve) => onA.on('state', (event) => event.state === 'closed' && resolve(event)))
  const onB = new FerryClient({ url: nodeB.url, userId: 'early-node-user' })
  t.after(() => onB.close())
  await onB.connect()
  assert.deepEqual(await ended, { state: 'closed', code: 'session-replaced' })
})
