import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { fileCleanup, type NodesScene, nextOnNodes as next, startNodes } from './redis-nodes.js'

const MEDIA_BYTES = 2 * 1024 * 1024 + 17

let scene: NodesScene
const cleanup = fileCleanup()
before(async () => {
  scene = await startNodes(cleanup, 2, [], { sharedMedia: true })
})
after(() => cleanup.run())

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

test('presence across nodes: a follower on one node sees a user of the other come and go', async () => {
  const [a, b] = scene.pair()
  const bob = await scene.client(b, 'presence-bob')
  assert.deepEqual(await bob.subscribePresence(['presence-alice']), [])
  const online = next(bob, 'presence', (e) => e.userId === 'presence-alice' && e.online)
  const alice = await scene.client(a, 'presence-alice')
  await online
  const offline = next(bob, 'presence', (e) => e.userId === 'presence-alice' && !e.online)
  await alice.close()
  await offline
})

test('rooms across nodes: members on both nodes see each other join and get each other’s messages', async () => {
  const [a, b] = scene.pair()
  const alice = await scene.client(a, 'room-alice')
  const bob = await scene.client(b, 'room-bob')
  await alice.joinRoom('nodes-room')
  const joined = next(alice, 'room-member', (e) => e.userId === 'room-bob')
  await bob.joinRoom('nodes-room')
  await joined
  assert.deepEqual((await bob.roomMembers('nodes-room')).sort(), ['room-alice', 'room-bob'])
  const got = next(alice, 'message', (e) => e.from === 'room-bob')
  await bob.sendRoomMessage('nodes-room', 'across the nodes')
  const { message, delivery } = await got
  assert.deepEqual(message, { type: 'text', text: 'across the nodes' })
  assert.equal(delivery?.target.type === 'room' ? delivery.target.rid : undefined, 'nodes-room')
})

test('a media uploaded through one node downloads through the other from the shared store', async () => {
  const [a, b] = scene.pair()
  const bytes = randomBytes(MEDIA_BYTES)
  const path = join(scene.dir, 'photo-album.bin')
  await writeFile(path, bytes)
  const alice = await scene.client(a, 'media-alice')
  const message = await alice.createFileMessage(path).done
  // The uploader leaves: no peer holds it, so the download can only come from the store, through B.
  await alice.close()
  const bob = await scene.client(b, 'media-bob')
  const { data, source } = await bob.downloadMedia(message, { to: 'memory' }).done
  assert.equal(source, 'server')
  assert.ok(data instanceof Uint8Array)
  assert.equal(sha256(data), sha256(bytes))
})
