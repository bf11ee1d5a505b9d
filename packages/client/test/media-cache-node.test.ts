import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { MEDIA_ID_BYTES, MEDIA_ID_PATTERN } from '@ferry/protocol'
import { newMediaId } from '../src/media/media-id.js'
import { idSegment } from '../src/node/id-paths.js'
import { mediaDirCache } from '../src/node/media-dir-cache.js'
import { nodePlatform } from '../src/node/node-platform.js'
import { sha256 } from './helpers.js'
import { type CacheSetup, manualClock, mediaCacheContract, mediaInfo, store } from './media-cache-contract.js'

const root = await mkdtemp(join(tmpdir(), 'ferry-media-cache-'))
after(() => rm(root, { recursive: true, force: true }))

let runs = 0
/** A cache in a fresh directory, with its download directory beside it. */
function setUp(setup: CacheSetup) {
  const base = join(root, `run-${runs++}`)
  const dir = join(base, 'cache')
  const downloadDir = join(base, 'downloads')
  const cache = mediaDirCache({ dir, downloadDir, ...setup })
  return { cache, dir, downloadDir, stored: () => fileCount(dir) }
}

/** Files in a directory, hidden ones included; 0 when it does not exist. */
async function fileCount(dir: string): Promise<number> {
  return (await readdir(dir).catch(() => [])).length
}

mediaCacheContract('directory', async (setup) => setUp(setup))

test('new media ids are MEDIA_ID_BYTES random bytes in base64url, never the same twice', () => {
  const ids = new Set(Array.from({ length: 1000 }, newMediaId))
  assert.equal(ids.size, 1000)
  for (const id of ids) {
    assert.match(id, MEDIA_ID_PATTERN)
    assert.equal(Buffer.from(id, 'base64url').length, MEDIA_ID_BYTES)
  }
})

test('an entry is a data file and a metadata file; while it is written there is only a hidden file', async () => {
  const { cache, dir } = setUp(manualClock())
  const bytes = new Uint8Array(randomBytes(100_000))
  const info = mediaInfo(bytes)
  const writer = await cache.create(info)
  await writer.write(bytes)
  const during = await readdir(dir)
  assert.equal(during.length, 1)
  assert.match(during[0]!, /^\./)
  const entry = await writer.finish()
  const name = idSegment(info.mediaId)
  assert.deepEqual((await readdir(dir)).sort(), [`${name}.data`, `${name}.json`])
  assert.equal(sha256(await readFile(join(dir, `${name}.data`))), info.sha256)
  assert.deepEqual(JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')), entry)
})

test('a cache over the same directory, as after a restart, finds the entries', async () => {
  const clock = manualClock()
  const first = setUp(clock)
  const entry = await store(first.cache, new Uint8Array(randomBytes(1000)))
  const second = mediaDirCache({ dir: first.dir, downloadDir: first.downloadDir, now: clock.now })
  assert.deepEqual(await second.get(entry.mediaId), entry)
})

test('export copies to the given path, or to a free name in the download directory', async () => {
  const { cache, downloadDir } = setUp(manualClock())
  const bytes = new Uint8Array(randomBytes(300_000))
  const entry = await store(cache, bytes, { fileName: '../photo.jpg', mime: 'image/jpeg' })
  await mkdir(join(root, 'chosen'), { recursive: true })
  const chosen = join(root, 'chosen', 'mine.jpg')
  assert.deepEqual(await cache.export(entry.mediaId, chosen), {
    name: '../photo.jpg',
    size: bytes.length,
    mime: 'image/jpeg',
    sha256: entry.sha256,
    path: chosen,
  })
  assert.equal(sha256(await readFile(chosen)), entry.sha256)
  const first = await cache.export(entry.mediaId)
  const second = await cache.export(entry.mediaId)
  assert.equal(first.path, join(downloadDir, 'photo.jpg'), 'the name is made safe: no way out of the directory')
  assert.equal(second.path, join(downloadDir, 'photo (1).jpg'))
  assert.equal(sha256(await readFile(second.path!)), entry.sha256)
  assert.deepEqual((await readdir(downloadDir)).sort(), ['photo (1).jpg', 'photo.jpg'], 'no temporary file is left')
  await cache.delete(entry.mediaId)
  assert.equal(sha256(await readFile(first.path!)), entry.sha256, 'an export outlives its entry')
})

test('malformed ids never reach the disk: files beside the cache directory survive', async () => {
  const { cache, dir } = setUp(manualClock())
  await mkdir(dir, { recursive: true })
  const outside = join(dir, '..', 'keep')
  await writeFile(`${outside}.json`, '{}')
  await writeFile(`${outside}.data`, 'x')
  assert.equal(await cache.get('../keep'), undefined)
  assert.equal(await cache.delete('../keep'), false)
  await assert.rejects(cache.open('../keep'), { code: 'media-not-found' })
  assert.equal(await readFile(`${outside}.json`, 'utf8'), '{}')
  assert.equal(await readFile(`${outside}.data`, 'utf8'), 'x')
})

test('unreadable metadata counts as absent and is removed with its data', async () => {
  const { cache, dir } = setUp(manualClock())
  const entry = await store(cache, new Uint8Array(randomBytes(100)))
  await writeFile(join(dir, `${idSegment(entry.mediaId)}.json`), '{"mediaId": "cut sho')
  assert.equal(await cache.get(entry.mediaId), undefined)
  assert.deepEqual(await readdir(dir), [])
})

test("temporary files of a process that died mid-write are removed; a live writer's are kept", async () => {
  const { cache, dir } = setUp(manualClock())
  const live = await cache.create(mediaInfo(new Uint8Array(10)))
  await live.write(new Uint8Array(5))
  const dead = join(dir, '.0123456789abcdef01234567.part')
  await writeFile(dead, 'left behind')
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
  await utimes(dead, twoHoursAgo, twoHoursAgo)
  const entry = await store(cache, new Uint8Array(10))
  const names = await readdir(dir)
  assert.ok(!names.includes('.0123456789abcdef01234567.part'), 'the dead temporary file is gone')
  assert.equal(names.length, 3, "the entry's two files and the live writer's")
  await live.write(new Uint8Array(5))
  await live.finish()
  assert.equal((await cache.list()).length, 2)
  assert.ok(await cache.get(entry.mediaId))
})

test('nodePlatform keeps each user’s cache in mediaDir/<user id as a path segment> within mediaCacheBytes, and refuses ids that leave it', async () => {
  const mediaDir = join(root, 'platform-media')
  const platform = nodePlatform({
    wrtc: undefined,
    mediaDir,
    downloadDir: join(root, 'platform-dl'),
    mediaCacheBytes: 100,
  })
  const alice = platform.createMediaCache('alice')
  const entry = await store(alice, new Uint8Array(randomBytes(100)))
  const name = idSegment(entry.mediaId)
  assert.deepEqual((await readdir(join(mediaDir, 'alice'))).sort(), [`${name}.data`, `${name}.json`])
  assert.equal(await platform.createMediaCache('bob').get(entry.mediaId), undefined, "bob does not see alice's media")
  await assert.rejects(alice.create(mediaInfo(new Uint8Array(101))), { code: 'storage-full' })
  for (const userId of ['..', '.', 'a/b', '']) {
    assert.throws(() => platform.createMediaCache(userId), { code: 'invalid-argument' }, userId)
  }
})
