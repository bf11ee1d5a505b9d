import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { FerryClient } from '@ferry/client'
import { fileCleanup, type NodesScene, nextOnNodes as next, startNodes } from './redis-nodes.js'

const FILE_BYTES = 3 * 1024 * 1024 + 11
const BUFFER_BYTES = 1024 * 1024 + 3

let scene: NodesScene
const cleanup = fileCleanup()
before(async () => {
  scene = await startNodes(cleanup, 2)
})
after(() => cleanup.run())

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** cmd, buffer and file from `from` to `to`, each checked byte for byte. */
async function exchange(from: FerryClient, fromId: string, to: FerryClient, toId: string, label: string) {
  const cmd = next(to, 'cmd', (e) => e.from === fromId)
  await from.sendCmd(toId, `hello from ${label}`).done
  assert.equal((await cmd).data, `hello from ${label}`)

  const bytes = randomBytes(BUFFER_BYTES)
  const buffer = next(to, 'buffer', (e) => e.from === fromId)
  await from.sendBuffer(toId, bytes).done
  assert.equal(sha256((await buffer).data), sha256(bytes))

  const path = join(scene.dir, `${label}.bin`)
  const content = randomBytes(FILE_BYTES)
  await writeFile(path, content)
  const file = next(to, 'file', (e) => e.from === fromId)
  await from.sendFile(toId, path).done
  const received = (await file).file
  assert.equal(received.sha256, sha256(content))
  assert.equal(sha256(await readFile(received.path!)), sha256(content))
}

test('users on different nodes open a direct link (SDP and ICE through Redis) and exchange cmd, buffer and file', async () => {
  const [a, b] = scene.pair()
  const alice = await scene.client(a, 'alice')
  const bob = await scene.client(b, 'bob')
  const link = next(alice, 'link', (e) => e.peer === 'bob' && e.state === 'open')
  await exchange(alice, 'alice', bob, 'bob', 'direct-a-to-b')
  assert.equal((await link).transport, 'direct')
  await exchange(bob, 'bob', alice, 'alice', 'direct-b-to-a')
})

test('users on different nodes exchange cmd, buffer and file through the relay', async () => {
  const [a, b] = scene.pair()
  const carol = await scene.client(a, 'carol', { transport: 'relay' })
  const dave = await scene.client(b, 'dave', { transport: 'relay' })
  const link = next(carol, 'link', (e) => e.peer === 'dave' && e.state === 'open')
  await exchange(carol, 'carol', dave, 'dave', 'relay-a-to-b')
  assert.equal((await link).transport, 'relay')
  await exchange(dave, 'dave', carol, 'carol', 'relay-b-to-a')
})

test('one session per user across nodes: logging in on node B ends the session on node A', async () => {
  const [a, b] = scene.pair()
  const first = await scene.client(a, 'erin')
  const ended = next(first, 'state', (e) => e.state === 'closed')
  const second = await scene.client(b, 'erin')
  assert.deepEqual(await ended, { state: 'closed', code: 'session-replaced' })
  // The new session is the one that receives.
  const frank = await scene.client(a, 'frank')
  const cmd = next(second, 'cmd', (e) => e.from === 'frank')
  await frank.sendCmd('erin', 'to the newest session').done
  assert.equal((await cmd).data, 'to the newest session')
})

test('server API sends through either node reach users on the other', async () => {
  const [a, b] = scene.pair()
  const gina = await scene.client(a, 'gina')
  const hank = await scene.client(b, 'hank')
  const toHank = next(hank, 'message', (e) => e.delivery?.mid === 'via-a')
  await scene.api(a).sendMessage('system', 'hank', 'sent through A', { mid: 'via-a' })
  const toGina = next(gina, 'message', (e) => e.delivery?.mid === 'via-b')
  await scene.api(b).sendMessage('system', 'gina', 'sent through B', { mid: 'via-b' })
  const [h, g] = [await toHank, await toGina]
  assert.deepEqual([h.message, h.delivery?.offline], [{ type: 'text', text: 'sent through A' }, false])
  assert.deepEqual([g.message, g.delivery?.offline], [{ type: 'text', text: 'sent through B' }, false])
})

test('a group made through node A keeps a send for its offline member, who gets it at login on node B', async () => {
  const [a, b] = scene.pair()
  await scene.api(a).createGroup('crew', ['ivan', 'judy', 'kim'])
  assert.deepEqual((await scene.api(b).getGroup('crew')).members.sort(), ['ivan', 'judy', 'kim'])
  const ivan = await scene.client(a, 'ivan')
  const live = next(ivan, 'message', (e) => e.delivery?.mid === 'crew-1')
  const receipt = await scene.api(b).sendGroupMessage('kim', 'crew', 'while judy is away', { mid: 'crew-1' })
  assert.equal((await live).delivery?.offline, false)

  const judy = scene.open(b, 'judy')
  const kept = next(judy, 'message', (e) => e.delivery?.mid === 'crew-1')
  await judy.connect()
  const { message, delivery } = await kept
  assert.deepEqual(message, { type: 'text', text: 'while judy is away' })
  assert.deepEqual(delivery, {
    mid: 'crew-1',
    mtime: receipt.mtime,
    from: 'kim',
    mtype: 30,
    attrs: '',
    target: { type: 'group', gid: 'crew' },
    offline: true,
  })
})
