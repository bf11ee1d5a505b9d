import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { FerryClient, type FerryEvents } from '@ferry/client'
import { nodePlatform } from '@ferry/client/node'
import wrtc from '@roamhq/wrtc'
import { createSignalingServer } from '../src/index.js'
import { findTurnserver, startCoturn } from './coturn.js'

const SECRET = 'coturn-test-secret-of-at-least-32-bytes'
const FILE_BYTES = 3 * 1024 * 1024 + 7

/** ICE through a TURN server, then a few MiB: seconds on an idle machine, more on a busy one. */
const STEP_TIMEOUT_MS = 30_000

const turnserver = findTurnserver()
const skip =
  turnserver === undefined
    ? 'coturn is not installed: run `apt-get install -y coturn` (as root, outside the network namespace)'
    : false

test('with server-issued TURN credentials and a relay-only ICE policy, a file crosses coturn intact', {
  skip,
}, async (t) => {
  const coturn = await startCoturn(turnserver!, SECRET)
  t.after(() => coturn.stop())
  // Ferry's own relay is off, and the clients would not use it anyway: every byte goes through TURN.
  const server = await createSignalingServer({
    port: 0,
    relay: false,
    turnSecret: SECRET,
    turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`],
  })
  t.after(() => server.close())
  const dir = await mkdtemp(join(tmpdir(), 'ferry-turn-'))
  t.after(() => rm(dir, { recursive: true, force: true }))

  const client = (userId: string): FerryClient => {
    const c = new FerryClient({
      url: server.url,
      userId,
      platform: nodePlatform({ wrtc, downloadDir: join(dir, userId) }),
      iceTransportPolicy: 'relay',
      transport: 'direct',
    })
    t.after(() => c.close())
    return c
  }
  const alice = client('alice')
  const bob = client('bob')
  await alice.connect()
  await bob.connect()

  const data = randomBytes(FILE_BYTES)
  const source = join(dir, 'through-turn.bin')
  await writeFile(source, data)
  const aliceLink = next(alice, 'link', (e) => e.state === 'open')
  const bobLink = next(bob, 'link', (e) => e.state === 'open')
  const received = next(bob, 'file')
  const result = await withTimeout(alice.sendFile('bob', source).done, 'sendFile', coturn.log)
  assert.equal(result.error, undefined)

  assert.deepEqual(await aliceLink, { peer: 'bob', state: 'open', transport: 'turn' })
  assert.deepEqual(await bobLink, { peer: 'alice', state: 'open', transport: 'turn' })
  const { file } = await received
  const expected = createHash('sha256').update(data).digest('hex')
  assert.equal(file.sha256, expected)
  assert.equal(
    createHash('sha256')
      .update(await readFile(file.path!))
      .digest('hex'),
    expected,
  )
})

function next<K extends keyof FerryEvents>(
  client: FerryClient,
  type: K,
  match: (event: FerryEvents[K]) => boolean = () => true,
): Promise<FerryEvents[K]> {
  const event = withTimeout(
    new Promise<FerryEvents[K]>((resolve) => {
      const off = client.on(type, (event) => {
        if (!match(event)) return
        off()
        resolve(event)
      })
    }),
    `a ${String(type)} event`,
  )
  // Awaited later, or not at all when an earlier step failed: that failure is the one to report.
  event.catch(() => {})
  return event
}

function withTimeout<T>(promise: Promise<T>, what: string, log?: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const detail = log ? `\ncoturn said:\n${log()}` : ''
      reject(new Error(`${what}: nothing within ${STEP_TIMEOUT_MS} ms${detail}`))
    }, STEP_TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
