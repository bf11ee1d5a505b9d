import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import wrtc from '@roamhq/wrtc'
import { FerryClient, MEDIA_RETENTION_MS } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { next, randomFile, sha256, useClients } from './helpers.js'

const storeDir = await mkdtemp(join(tmpdir(), 'ferry-store-'))
const t = useClients({ alice: {}, bob: {}, carol: {} }, { media: { dir: storeDir, maxBytes: 40 * 1024 * 1024 } })

/** The store's data file of a media: the one file in the store's directory tree of its size that names the id. */
async function storedCopy(mediaId: string, size: number): Promise<string> {
  const files = (await readdir(storeDir, { recursive: true })).map((name) => join(storeDir, name))
  for (const file of files) {
    if (file.includes(mediaId) && (await stat(file)).isFile() && (await stat(file)).size === size) return file
  }
  throw new Error(`no stored copy of ${mediaId}`)
}

test('an upload goes to the server store, and a download after the uploader left comes from it', async () => {
  const { path, sha256: digest } = await randomFile(t.h.dir, 'movie.bin', 5 * 1024 * 1024 + 3)
  const dora = await t.h.client('dora')
  await t.bob.subscribePresence(['dora'])
  const upload = dora.createFileMessage(path)
  const progress: number[] = []
  dora.on('media-progress', (event) => {
    if (event.taskId === upload.id) progress.push(event.transferred)
  })
  const message = await upload.done
  assert.equal(progress.at(-1), message.size, 'upload progress reaches the total')
  const expiresIn = message.expiresAt - Date.now()
  assert.ok(expiresIn > MEDIA_RETENTION_MS - 60_000 && expiresIn <= MEDIA_RETENTION_MS, `expires in ${expiresIn} ms`)
  await dora.close()
  await next(t.bob, 'presence', (event) => event.userId === 'dora' && !event.online)

  const download = await t.bob.downloadMedia(message, { to: 'file', path: join(t.h.dir, 'bob-movie.bin') }).done
  assert.equal(download.source, 'server')
  assert.equal(sha256(await readFile(download.file!.path!)), digest)
  assert.equal(download.file!.path, join(t.h.dir, 'bob-movie.bin'))

  // The second download is served from bob's cache, even with the server gone from the network.
  const copy = await storedCopy(message.mediaId, message.size)
  await writeFile(copy, new Uint8Array(0))
  const again = await t.bob.downloadMedia(message).done
  assert.equal(again.source, 'cache')
  assert.equal(sha256(again.data!), digest)
})

test('a bare media id is downloaded with the details the server keeps', async () => {
  const { path, sha256: digest } = await randomFile(t.h.dir, 'bare.bin', 70_000)
  const message = await t.alice.createFileMessage(path).done
  const fromId = await t.carol.messageFromMedia(message.mediaId)
  assert.equal(fromId.sha256, digest)
  assert.equal(fromId.fileName, 'bare.bin')
  const download = await t.carol.downloadMedia(message.mediaId).done
  assert.equal(sha256(download.data!), digest)
})

test('unknown media ids fail with media-not-found', async () => {
  await assert.rejects(t.bob.downloadMedia('Z'.repeat(32)).done, { code: 'media-not-found' })
  await assert.rejects(t.bob.messageFromMedia('Z'.repeat(32)), { code: 'media-not-found' })
  await assert.rejects(t.bob.downloadMedia('not an id').done, { code: 'invalid-argument' })
})

test('a tampered server copy is refused by the hash check and nothing is cached', async () => {
  const { path } = await randomFile(t.h.dir, 'tamper.bin', 200_000)
  const message = await t.alice.createFileMessage(path).done
  const copy = await storedCopy(message.mediaId, message.size)
  const bytes = await readFile(copy)
  bytes[100_000] = (bytes[100_000] ?? 0) ^ 0xff
  await writeFile(copy, bytes)
  await t.alice.deleteMedia(message.mediaId) // so the uploader cannot serve the good copy
  await assert.rejects(t.bob.downloadMedia(message).done, { code: 'integrity-mismatch' })
  assert.ok(!(await t.bob.listMedia()).some((media) => media.mediaId === message.mediaId))
})

test('media over the server limit fails with file-too-large, empty media with invalid-argument', async () => {
  const { path } = await randomFile(t.h.dir, 'huge.bin', 40 * 1024 * 1024 + 1)
  await assert.rejects(t.alice.createFileMessage(path).done, { code: 'file-too-large' })
  await assert.rejects(t.alice.createFileMessage(new Blob([])).done, { code: 'invalid-argument' })
})

test('a thumbnail that makes the message too large fails before anything is uploaded', async () => {
  const task = t.alice.createFileMessage(new Blob(['abc']), { thumbnail: new Uint8Array(33 * 1024) })
  await assert.rejects(task.done, { code: 'message-too-large' })
  assert.ok(!(await t.alice.listMedia()).some((media) => media.mediaId === task.mediaId))
})

test('cancelling an upload leaves nothing in the cache or on the server', async () => {
  const { path } = await randomFile(t.h.dir, 'cancel-up.bin', 30 * 1024 * 1024)
  const upload = t.alice.createFileMessage(path)
  await next(t.alice, 'media-progress', (event) => event.taskId === upload.id && event.transferred > 0)
  assert.equal(t.alice.cancelMedia(upload.id), 'ok')
  await assert.rejects(upload.done, { code: 'cancelled' })
  assert.ok(!(await t.alice.listMedia()).some((media) => media.mediaId === upload.mediaId))
  const left = (await readdir(storeDir, { recursive: true })).filter((name) => name.includes(upload.mediaId))
  assert.deepEqual(left, [])
  await assert.rejects(t.bob.downloadMedia(upload.mediaId).done, { code: 'media-not-found' })
})

test('cancelling a server download leaves nothing in the cache', async () => {
  const { path } = await randomFile(t.h.dir, 'cancel-down.bin', 30 * 1024 * 1024)
  const message = await t.alice.createFileMessage(path).done
  const download = t.carol.downloadMedia(message.mediaId, { signal: AbortSignal.timeout(60_000) })
  await next(t.carol, 'media-progress', (event) => event.taskId === download.id && event.transferred > 0)
  assert.equal(t.carol.cancelMedia(download.id), 'ok')
  await assert.rejects(download.done, { code: 'cancelled' })
  assert.ok(!(await t.carol.listMedia()).some((media) => media.mediaId === message.mediaId))
})

test('a tenth media task at once fails with too-many-tasks; the nine run', async () => {
  const files = await Promise.all(
    Array.from({ length: 10 }, (_, i) => randomFile(t.h.dir, `many-${i}.bin`, 100_000 + i)),
  )
  const tasks = files.map(({ path }) => t.bob.createFileMessage(path))
  await assert.rejects(tasks[9]!.done, { code: 'too-many-tasks' })
  const messages = await Promise.all(tasks.slice(0, 9).map((task) => task.done))
  assert.equal(messages.length, 9)
  // Once they ended, there is room again.
  await t.bob.createFileMessage(files[9]!.path).done
})

test('with queueing on, the tenth task waits for a free slot instead of failing', async () => {
  const erin = await t.h.client('erin', { queueMediaTasks: true })
  const files = await Promise.all(Array.from({ length: 10 }, (_, i) => randomFile(t.h.dir, `q-${i}.bin`, 50_000)))
  const messages = await Promise.all(files.map(({ path }) => erin.createFileMessage(path).done))
  assert.equal(new Set(messages.map((message) => message.mediaId)).size, 10)
})

test('media tasks before connect() fail with not-logged-in', async () => {
  const client = new FerryClient({ url: t.h.server.url, userId: 'zed', platform: nodePlatform({ wrtc }) })
  await assert.rejects(client.createFileMessage(new Blob(['x'])).done, { code: 'not-logged-in' })
})
