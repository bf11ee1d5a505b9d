import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { FerryServerApi } from '@ferry/server-sdk'
import wrtc from '@roamhq/wrtc'
import { FerryClient, type FerryEvents } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { collect, harness, next } from './helpers.js'

const ADMIN_KEY = 'admin-key-of-the-delivery-ack-tests-01'

/** Messages kept for an offline recipient in most tests: enough to show their order. */
const KEPT = 40

type Harness = Awaited<ReturnType<typeof harness>>

async function scene(t: { after(fn: () => Promise<void>): void }, options: Parameters<typeof harness>[0] = {}) {
  const h = await harness({ adminKey: ADMIN_KEY, ...options })
  t.after(() => h.close())
  return { h, api: new FerryServerApi({ url: h.server.url, adminKey: ADMIN_KEY }) }
}

/** A client that is not logged in yet, closed by the test. */
function carolOf(h: Harness): FerryClient {
  return new FerryClient({
    url: h.server.url,
    userId: 'carol',
    platform: nodePlatform({ wrtc, downloadDir: join(h.dir, 'carol'), mediaDir: join(h.dir, 'carol-media') }),
  })
}

/** Sends KEPT texts from alice to carol, numbered, and resolves with their mids in order. */
async function keepFor(api: FerryServerApi, first = 0, count = KEPT): Promise<string[]> {
  const mids: string[] = []
  for (let i = first; i < first + count; i++) mids.push((await api.sendMessage('alice', 'carol', `note ${i}`)).mid)
  return mids
}

/** How long the server may take to hold what a test expects, on a loaded machine. */
const KEPT_TIMEOUT_MS = 20_000

/** Resolves once the server holds `count` unacknowledged deliveries for `userId`; rejects after KEPT_TIMEOUT_MS. */
async function keptBecomes(h: Harness, userId: string, count: number): Promise<void> {
  const deadline = Date.now() + KEPT_TIMEOUT_MS
  for (;;) {
    const kept = await h.server.deliveries.keptFor(userId)
    if (kept === count) return
    if (Date.now() > deadline) throw new Error(`${kept} deliveries kept for ${userId}, expected ${count}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Texts of the messages, in order. */
function texts(events: FerryEvents['message'][]): string[] {
  return events.map(({ message }) => (message.type === 'text' ? message.text : message.type))
}

/** Proves `client` got nothing more than `seen` holds: a marker sent now arrives right after it. */
async function assertNothingMore(api: FerryServerApi, client: FerryClient, seen: FerryEvents['message'][]) {
  const before = seen.length
  const marker = next(client, 'message', (event) => event.from === 'marker')
  await api.sendMessage('marker', 'carol', 'marker')
  await marker
  assert.equal(seen.length, before + 1, 'only the marker arrived')
  seen.pop()
}

test('a message handler attached right after `await connect()` gets every kept message, in order, and they are acknowledged', async (t) => {
  const { h, api } = await scene(t)
  const mids = await keepFor(api)
  const carol = carolOf(h)
  t.after(() => carol.close())
  await carol.connect()
  const seen = collect(carol, 'message')

  await keptBecomes(h, 'carol', 0)
  assert.deepEqual(
    seen.map((event) => event.taskId),
    mids,
  )
  assert.deepEqual(
    texts(seen),
    mids.map((_, i) => `note ${i}`),
  )
  assert.ok(seen.every((event) => event.delivery?.offline === true))
  await assertNothingMore(api, carol, seen)
})

test('a handler attached long after login still gets what arrived before it', async (t) => {
  const { h, api } = await scene(t)
  const mids = await keepFor(api, 0, 3)
  const carol = carolOf(h)
  t.after(() => carol.close())
  await carol.connect()
  // A round trip: the server handed the kept messages over before it answers this.
  await carol.joinRoom('later')
  const live = await api.sendMessage('alice', 'carol', 'live, before any handler')
  await carol.roomMembers('later')
  assert.equal(await h.server.deliveries.keptFor('carol'), 4, 'nothing is acknowledged before the app got it')

  const seen = collect(carol, 'message')
  await keptBecomes(h, 'carol', 0)
  assert.deepEqual(
    seen.map((event) => event.taskId),
    [...mids, live.mid],
  )
  assert.deepEqual(
    seen.map((event) => event.delivery?.offline),
    [true, true, true, false],
  )
})

test('a client closed before it attaches a handler acknowledges nothing: the next login gets it all, once', async (t) => {
  const { h, api } = await scene(t)
  const mids = await keepFor(api)
  const early = carolOf(h)
  await early.connect()
  await early.joinRoom('handed-over')
  await early.close()
  assert.equal(await h.server.deliveries.keptFor('carol'), KEPT)

  const carol = carolOf(h)
  t.after(() => carol.close())
  await carol.connect()
  const seen = collect(carol, 'message')
  await keptBecomes(h, 'carol', 0)
  assert.deepEqual(
    seen.map((event) => event.taskId),
    mids,
  )
  await assertNothingMore(api, carol, seen)
})

test('deliveries the server hands over again after a dropped connection reach the app once', async (t) => {
  // One ack and no refill: the acks of the live messages are refused, so they stay kept.
  const { h, api } = await scene(t, { limits: { acks: { perSecond: 0.001, burst: 1 } } })
  const kept = await keepFor(api, 0, 5)
  const carol = carolOf(h)
  t.after(() => carol.close())
  await carol.connect()
  const seen = collect(carol, 'message')
  await keptBecomes(h, 'carol', 0)

  const live = await keepFor(api, 5, 3)
  await keptBecomes(h, 'carol', 3)
  while (seen.length < 8) await next(carol, 'message')

  // The transport drops as a network would; Socket.IO reconnects, and the login hands the three over again.
  const dropped = next(carol, 'state', ({ state }) => state === 'reconnecting')
  const back = next(carol, 'state', ({ state }) => state === 'connected')
  const socket = [...h.server.io.sockets.sockets.values()].find((s) => s.data.userId === 'carol')
  socket?.conn.close()
  await dropped
  await back
  await assertNothingMore(api, carol, seen)
  assert.deepEqual(
    seen.map((event) => event.taskId),
    [...kept, ...live],
  )
  // The three and the marker, unacknowledged: the three came again, and the app did not see them twice.
  assert.equal(await h.server.deliveries.keptFor('carol'), 4)
})
