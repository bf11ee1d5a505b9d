import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import wrtc from '@roamhq/wrtc'
import { type CliProcess, startCli } from '../../../signaling/test/cli-process.js'
import { FerryClient, type FerryOptions, RELAY_OUTAGE_WAIT_MS } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { collect, filesIn, next, randomFile, sha256File } from './helpers.js'
import { holdingPlatform } from './holding-platform.js'

/** Long enough that a transfer held through a failover never ends on idle; the outage has its own code. */
const TEST_IDLE_TIMEOUT_MS = 60_000

/** Larger than the window, so the sender is mid-way, with chunks on their way, when the receiver holds. */
const FILE_BYTES = 24 * 1024 * 1024

/** Waits for the reconnect's backoff, a node that refuses, and the next one. */
const RECONNECT_EVENT_MS = 60_000

async function scene(t: { after(fn: () => void | Promise<void>): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-failover-'))
  const clients: FerryClient[] = []
  t.after(async () => {
    for (const client of clients) await client.close()
    await rm(dir, { recursive: true, force: true })
  })
  const client = async (
    userId: string,
    url: FerryOptions['url'],
    options: Partial<FerryOptions> & { hold?: boolean } = {},
  ) => {
    const { hold, ...rest } = options
    const base = nodePlatform({ wrtc, downloadDir: join(dir, userId), mediaDir: join(dir, 'media') })
    const held = hold ? holdingPlatform(base) : undefined
    const ferry = new FerryClient({
      url,
      userId,
      idleTimeoutMs: TEST_IDLE_TIMEOUT_MS,
      platform: held?.platform ?? base,
      ...rest,
    })
    clients.push(ferry)
    await ferry.connect()
    return { ferry, held }
  }
  return { dir, client }
}

/** Kills `node` and waits until every client noticed and logged in again somewhere. */
async function killAndReconnect(node: CliProcess, clients: FerryClient[]): Promise<void> {
  const dropped = clients.map((c) => next(c, 'state', (s) => s.state === 'reconnecting', RECONNECT_EVENT_MS))
  const back = clients.map((c) => next(c, 'state', (s) => s.state === 'connected', RECONNECT_EVENT_MS))
  node.kill()
  await Promise.all(dropped)
  await Promise.all(back)
}

test('a node dies mid relayed file: both users log in to the next node, the file completes intact, cmds flow', async (t) => {
  const [a, b] = [await startCli(t, ['--no-media']), await startCli(t, ['--no-media'])]
  const s = await scene(t)
  const urls = [a.url, b.url]
  const alice = (await s.client('alice', urls, { transport: 'relay' })).ferry
  const { ferry: bob, held } = await s.client('bob', urls, { transport: 'relay', hold: true })
  const source = await randomFile(s.dir, 'through-the-fall.bin', FILE_BYTES)
  const received = next(bob, 'file', (e) => e.file.name === 'through-the-fall.bin', RECONNECT_EVENT_MS)
  const links = collect(alice, 'link')
  const task = alice.sendFile('bob', source.path)
  await held!.reached

  await killAndReconnect(a, [alice, bob])
  assert.equal(a.exit?.signal, 'SIGKILL')
  held!.release()

  const result = await task.done
  assert.equal(result.error, undefined)
  const { file } = await received
  assert.equal(file.sha256, source.sha256)
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.ok(!links.some((e) => e.state === 'closed'), 'the relayed link never closed')
  assert.ok(!(await filesIn(join(s.dir, 'bob'))).some((n) => n.endsWith('.part')))

  const cmd = next(bob, 'cmd')
  await alice.sendCmd('bob', 'through the node that is left').done
  assert.equal((await cmd).data, 'through the node that is left')
  assert.equal(b.exit, undefined)
})

test('a node dies mid direct file: the file goes on over the data channel and completes intact', async (t) => {
  const [a, b] = [await startCli(t, ['--no-media']), await startCli(t, ['--no-media'])]
  const s = await scene(t)
  const urls = [a.url, b.url]
  const alice = (await s.client('alice', urls)).ferry
  const { ferry: bob, held } = await s.client('bob', urls, { hold: true })
  const opened = next(alice, 'link', (e) => e.state === 'open')
  await alice.sendCmd('bob', 'open the direct link').done
  assert.equal((await opened).transport, 'direct')
  const source = await randomFile(s.dir, 'on-the-channel.bin', FILE_BYTES)
  const received = next(bob, 'file', (e) => e.file.name === 'on-the-channel.bin', RECONNECT_EVENT_MS)
  const links = [collect(alice, 'link'), collect(bob, 'link')]
  const task = alice.sendFile('bob', source.path)
  await held!.reached

  const dropped = [alice, bob].map((c) => next(c, 'state', (e) => e.state === 'reconnecting', RECONNECT_EVENT_MS))
  a.kill()
  await Promise.all(dropped)
  // Both are without a server now: the data channel carries the rest.
  held!.release()
  const result = await task.done
  assert.equal(result.error, undefined)
  const { file } = await received
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.deepEqual(links.flat(), [], 'no link closed, opened or switched')
})

test('one URL: a server restarted on the same port is logged in to again, and relayed cmds flow', async (t) => {
  const first = await startCli(t, ['--no-media'])
  const port = new URL(first.url).port
  const s = await scene(t)
  const alice = (await s.client('alice', first.url, { transport: 'relay' })).ferry
  const bob = (await s.client('bob', first.url, { transport: 'relay' })).ferry
  await alice.sendCmd('bob', 'before').done

  const dropped = [alice, bob].map((c) => next(c, 'state', (e) => e.state === 'reconnecting', RECONNECT_EVENT_MS))
  const back = [alice, bob].map((c) => next(c, 'state', (e) => e.state === 'connected', RECONNECT_EVENT_MS))
  first.kill()
  await Promise.all(dropped)
  const again = await startCli(t, ['--no-media', '--port', port])
  assert.equal(again.url, first.url)
  await Promise.all(back)

  const cmd = next(bob, 'cmd')
  await alice.sendCmd('bob', 'after the restart').done
  assert.equal((await cmd).data, 'after the restart')
})

test('no node comes back: a relayed file fails with server-unreachable on both ends, and nothing is kept', async (t) => {
  const only = await startCli(t, ['--no-media'])
  const s = await scene(t)
  const alice = (await s.client('alice', only.url, { transport: 'relay' })).ferry
  const { ferry: bob, held } = await s.client('bob', only.url, { transport: 'relay', hold: true })
  const source = await randomFile(s.dir, 'stranded.bin', FILE_BYTES)
  const failed = next(bob, 'receive-failed', () => true, 2 * RELAY_OUTAGE_WAIT_MS)
  const task = alice.sendFile('bob', source.path)
  await held!.reached
  only.kill()
  await assert.rejects(task.done, { code: 'server-unreachable' })
  assert.equal((await failed).code, 'server-unreachable')
  // The write the receiver held goes on now, finds its transfer over, and the partial file is removed.
  held!.release()
  for (let i = 0; i < 200 && (await filesIn(join(s.dir, 'bob'))).length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.deepEqual(await filesIn(join(s.dir, 'bob')), [])
  assert.equal(alice.state, 'reconnecting')
})

test('connect() goes down the list past a dead node, and rejects with server-unreachable when none answers', async (t) => {
  const [dead, live] = [await startCli(t, ['--no-media']), await startCli(t, ['--no-media'])]
  dead.kill()
  const s = await scene(t)
  const carol = (await s.client('carol', [dead.url, live.url])).ferry
  assert.equal(carol.state, 'connected')
  const nobody = new FerryClient({ url: [dead.url, dead.url], userId: 'dave', platform: nodePlatform({ wrtc }) })
  await assert.rejects(nobody.connect(), { code: 'server-unreachable' })
  assert.equal(nobody.state, 'disconnected')
  await assert.rejects(new FerryClient({ url: [], userId: 'erin', platform: nodePlatform({ wrtc }) }).connect(), {
    code: 'invalid-argument',
  })
})
