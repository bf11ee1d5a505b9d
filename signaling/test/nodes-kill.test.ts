import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FerryClient, FerryEvents } from '@ferry/client'
import { next as nextEvent } from '../../packages/client/test/helpers.js'
import { NODE_TTL_MS } from '../src/state/redis/node-liveness.js'
import { startNodes } from './redis-nodes.js'

/** A step across processes and Redis on a loaded machine. */
const STEP_TIMEOUT_MS = 30_000
/** Gap between looks at `/healthz` while waiting for a dead node's sessions to read as offline. */
const POLL_MS = 200

/** The next `type` event of `client` that passes `match`, within a step's time. */
const next = <K extends keyof FerryEvents>(
  client: FerryClient,
  type: K,
  match?: (event: FerryEvents[K]) => boolean,
): Promise<FerryEvents[K]> => nextEvent(client, type, match, STEP_TIMEOUT_MS)

/** The users `/healthz` of the node at `url` counts online, across every node. */
async function onlineCount(url: string): Promise<number> {
  const body: unknown = await (await fetch(`${url}/healthz`)).json()
  assert.ok(typeof body === 'object' && body !== null && 'users' in body && typeof body.users === 'number')
  return body.users
}

test('kill -9 of a node: its users log in on another node at once, and sends made after the kill are kept for them', async (t) => {
  const scene = await startNodes(t, 3)
  const [a, b, c] = scene.nodes
  assert.ok(a && b && c)
  const henry = await scene.client(a, 'henry')
  const grace = await scene.client(c, 'grace')
  await scene.client(c, 'jack')
  await scene.api(b).createGroup('pals', ['grace', 'henry', 'ike'])
  // ike is offline: this one is kept in Redis, whatever happens to the nodes.
  await scene.api(a).sendGroupMessage('henry', 'pals', 'before the crash', { mid: 'pals-1' })
  assert.equal(await onlineCount(a.url), 3)

  const graceLost = next(grace, 'state', (e) => e.state === 'reconnecting')
  scene.kill(c)
  await graceLost

  // jack does not wait for anything: a login on node B takes over the session node C held.
  const jackAgain = await scene.client(b, 'jack')
  const cmd = next(jackAgain, 'cmd', (e) => e.from === 'henry')
  await henry.sendCmd('jack', 'welcome back').done
  assert.equal((await cmd).data, 'welcome back')

  // Once node C's heartbeat lapsed (NODE_TTL_MS), grace reads as offline on every node.
  const deadline = Date.now() + NODE_TTL_MS + STEP_TIMEOUT_MS
  while ((await onlineCount(a.url)) !== 2) {
    assert.ok(Date.now() < deadline, 'the dead node’s sessions read as offline in time')
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  await scene.api(b).sendGroupMessage('henry', 'pals', 'after the crash', { mid: 'pals-2' })

  const graceAgain = scene.open(a, 'grace')
  const graceGot: string[] = []
  const graceBoth = new Promise<void>((resolve) =>
    graceAgain.on('message', (e) => {
      if (e.delivery?.offline) graceGot.push(e.delivery.mid)
      if (graceGot.includes('pals-2')) resolve()
    }),
  )
  await graceAgain.connect()
  await graceBoth
  assert.deepEqual(
    graceGot,
    ['pals-1', 'pals-2'],
    'the first reached grace on node C but was never acked (no listener there): it comes again with the second',
  )

  const ike = scene.open(b, 'ike')
  const ikeGot: string[] = []
  const ikeBoth = new Promise<void>((resolve) =>
    ike.on('message', (e) => {
      if (e.delivery?.offline) ikeGot.push(e.delivery.mid)
      if (ikeGot.length === 2) resolve()
    }),
  )
  await ike.connect()
  await ikeBoth
  assert.deepEqual(ikeGot, ['pals-1', 'pals-2'], 'oldest first')
})
