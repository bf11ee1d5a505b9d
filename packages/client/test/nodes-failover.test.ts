import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import wrtc from '@roamhq/wrtc'
import { NODE_TTL_MS } from '../../../signaling/src/state/redis/node-liveness.js'
import type { CliProcess } from '../../../signaling/test/cli-process.js'
import { type NodesScene, startNodes } from '../../../signaling/test/redis-nodes.js'
import type { FerryClient, FerryOptions } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { collect, filesIn, next, randomFile, sha256File } from './helpers.js'
import { holdingPlatform } from './holding-platform.js'

/** Long enough that a transfer held through a failover never ends on idle. */
const TEST_IDLE_TIMEOUT_MS = 60_000

/** Larger than the window, so the sender is mid-way, with chunks on their way, when the receiver holds. */
const FILE_BYTES = 24 * 1024 * 1024

/** Waits for the reconnect's backoff, a node that refuses, and the next one, on a loaded machine. */
const RECONNECT_EVENT_MS = 60_000

/** A dead node's users read as offline once its heartbeat lapsed and a live node swept: TTL, a beat, and slack. */
const DEAD_NODE_EVENT_MS = NODE_TTL_MS + 60_000

/** The users `/healthz` of the node at `url` counts online, across every node. */
async function onlineCount(url: string): Promise<number> {
  const body: unknown = await (await fetch(`${url}/healthz`)).json()
  assert.ok(typeof body === 'object' && body !== null && 'users' in body && typeof body.users === 'number')
  return body.users
}

/** alice on A (then B), bob on B (then A), the receiver held mid-way; both with a long idle timeout. */
async function pair(scene: NodesScene, a: CliProcess, b: CliProcess, options: Partial<FerryOptions> = {}) {
  const common = { idleTimeoutMs: TEST_IDLE_TIMEOUT_MS, ...options }
  const alice = await scene.client(a, 'alice', { url: [a.url, b.url], ...common })
  const bobDir = join(scene.dir, 'bob')
  const held = holdingPlatform(nodePlatform({ wrtc, downloadDir: bobDir }))
  const bob = await scene.client(b, 'bob', { url: [b.url, a.url], platform: held.platform, ...common })
  return { alice, bob, bobDir, held }
}

/** `kill -9` of `node`, and waits until `client` dropped and logged in again (on another node). */
async function killAndFailOver(node: CliProcess, client: FerryClient): Promise<void> {
  const dropped = next(client, 'state', (s) => s.state === 'reconnecting', RECONNECT_EVENT_MS)
  const back = next(client, 'state', (s) => s.state === 'connected', RECONNECT_EVENT_MS)
  node.kill()
  await dropped
  await back
}

test('two nodes over Redis, the sender’s node dies mid direct file: she logs in to the other node and the file goes on over the data channel', async (t) => {
  const scene = await startNodes(t, 2)
  const [a, b] = scene.nodes
  assert.ok(a && b)
  const { alice, bob, bobDir, held } = await pair(scene, a, b)
  const opened = next(alice, 'link', (e) => e.state === 'open')
  await alice.sendCmd('bob', 'open the direct link').done
  assert.equal((await opened).transport, 'direct')
  const source = await randomFile(scene.dir, 'across-nodes.bin', FILE_BYTES)
  const received = next(bob, 'file', (e) => e.file.name === 'across-nodes.bin', RECONNECT_EVENT_MS)
  const links = [collect(alice, 'link'), collect(bob, 'link')]
  const bobSaw = collect(bob, 'presence')
  const task = alice.sendFile('bob', source.path)
  await held.reached

  await killAndFailOver(a, alice)
  assert.equal(bob.state, 'connected')
  held.release()
  const result = await task.done
  assert.equal(result.error, undefined)
  const { file } = await received
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.ok(!(await filesIn(bobDir)).some((name) => name.endsWith('.part')))
  assert.deepEqual(links.flat(), [], 'no link closed, opened or switched')
  assert.deepEqual(bobSaw, [], 'alice’s move to node B was quiet: bob heard no offline')

  const cmd = next(bob, 'cmd')
  await alice.sendCmd('bob', 'still on the same link').done
  assert.equal((await cmd).data, 'still on the same link')
})

test('two nodes over Redis, the sender’s node dies mid relayed file: she logs in to the other node and the relay resumes from bob’s offset', async (t) => {
  const scene = await startNodes(t, 2)
  const [a, b] = scene.nodes
  assert.ok(a && b)
  const { alice, bob, bobDir, held } = await pair(scene, a, b, { transport: 'relay' })
  const source = await randomFile(scene.dir, 'relayed-across.bin', FILE_BYTES)
  const received = next(bob, 'file', (e) => e.file.name === 'relayed-across.bin', RECONNECT_EVENT_MS)
  const links = [collect(alice, 'link'), collect(bob, 'link')]
  const task = alice.sendFile('bob', source.path)
  await held.reached

  await killAndFailOver(a, alice)
  held.release()
  const result = await task.done
  assert.equal(result.error, undefined)
  const { file } = await received
  assert.equal(file.sha256, source.sha256)
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.ok(!(await filesIn(bobDir)).some((name) => name.endsWith('.part')))
  assert.ok(!links.flat().some((e) => e.state === 'closed'), 'the relayed link never closed')

  const cmd = next(bob, 'cmd')
  await alice.sendCmd('bob', 'through node B alone').done
  assert.equal((await cmd).data, 'through node B alone')
})

test('nothing lost across a dead node: a delivery in flight on it, one sent to it, one sent while the user is between nodes, each seen once', async (t) => {
  const scene = await startNodes(t, 3)
  const [a, b, c] = scene.nodes
  assert.ok(a && b && c)
  const api = scene.api(c)
  await api.createGroup('crew', ['alice', 'zoe'])
  const alice = scene.open(a, 'alice', { url: [a.url, b.url] })
  const got: string[] = []
  const arrived = (mid: string) => next(alice, 'message', (e) => e.delivery?.mid === mid, RECONNECT_EVENT_MS)
  alice.on('message', (e) => {
    if (e.delivery) got.push(e.delivery.mid)
    // Node A stands still before the client's ack can reach it: the delivery stays kept.
    if (e.delivery?.mid === 'm1') a.pause()
  })
  await alice.connect()

  const first = arrived('m1')
  await api.sendMessage('app', 'alice', 'seen on A, never acked', { mid: 'm1' })
  await first
  // Node A is stopped: this one reaches its sockets never.
  await api.sendMessage('app', 'alice', 'in flight on A', { mid: 'm2' })

  // Node B stands still too, so alice is surely between nodes when the group send is made.
  b.pause()
  const dropped = next(alice, 'state', (s) => s.state === 'reconnecting', RECONNECT_EVENT_MS)
  const back = next(alice, 'state', (s) => s.state === 'connected', RECONNECT_EVENT_MS)
  a.kill()
  await dropped
  await api.sendGroupMessage('zoe', 'crew', 'while between nodes', { mid: 'm3' })
  const third = arrived('m3')
  b.resume()
  await back
  await third

  const fourth = arrived('m4')
  await api.sendMessage('app', 'alice', 'once back', { mid: 'm4' })
  await fourth
  assert.deepEqual(got, ['m1', 'm2', 'm3', 'm4'], 'each once, in order')
  assert.equal(await onlineCount(c.url), 1)
})

test('presence across a dead node: a user who moved on stays online for her followers, one who never comes back reads offline once the node’s heartbeat lapsed', async (t) => {
  const scene = await startNodes(t, 2)
  const [a, b] = scene.nodes
  assert.ok(a && b)
  const bob = await scene.client(b, 'bob', { url: [b.url, a.url], presence: ['alice', 'carol'] })
  const bothOnline = [
    next(bob, 'presence', (e) => e.userId === 'alice' && e.online),
    next(bob, 'presence', (e) => e.userId === 'carol' && e.online),
  ]
  const alice = await scene.client(a, 'alice', { url: [a.url, b.url] })
  // carol knows node A only: she never comes back.
  const carol = await scene.client(a, 'carol')
  await Promise.all(bothOnline)
  await bob.joinRoom('lobby')
  await carol.joinRoom('lobby')
  assert.deepEqual([...bob.online].sort(), ['alice', 'carol'])
  const bobSaw = collect(bob, 'presence')
  const carolGone = next(bob, 'presence', (e) => e.userId === 'carol' && !e.online, DEAD_NODE_EVENT_MS)
  const carolLeft = next(bob, 'room-member', (e) => e.userId === 'carol' && !e.joined, DEAD_NODE_EVENT_MS)

  await killAndFailOver(a, alice)
  await carolGone
  await carolLeft
  assert.equal(carol.state, 'reconnecting')
  assert.deepEqual(
    bobSaw.map((e) => `${e.userId} ${e.online}`),
    ['carol false'],
    'alice, back on node B before the sweep, was never announced offline',
  )
  assert.deepEqual([...bob.online], ['alice'])
  assert.deepEqual(await alice.subscribePresence(['carol', 'bob']), ['bob'])
  assert.equal(await onlineCount(b.url), 2)
})

test('a node that stalls past its heartbeat is taken for dead: its users read offline, and once it runs again they log in again and read online', async (t) => {
  const scene = await startNodes(t, 2)
  const [a, b] = scene.nodes
  assert.ok(a && b)
  const bob = await scene.client(b, 'bob', { presence: ['dave'] })
  const daveOnline = next(bob, 'presence', (e) => e.userId === 'dave' && e.online)
  const dave = await scene.client(a, 'dave')
  await daveOnline

  const daveGone = next(bob, 'presence', (e) => e.userId === 'dave' && !e.online, DEAD_NODE_EVENT_MS)
  a.pause()
  await daveGone
  const daveBack = next(bob, 'presence', (e) => e.userId === 'dave' && e.online, DEAD_NODE_EVENT_MS)
  const relogin = next(dave, 'state', (s) => s.state === 'reconnecting', RECONNECT_EVENT_MS)
  a.resume()
  await relogin
  await daveBack
  assert.equal(await onlineCount(b.url), 2)
  const cmd = next(bob, 'cmd')
  await dave.sendCmd('bob', 'back on my node').done
  assert.equal((await cmd).data, 'back on my node')
})
