import 'fake-indexeddb/auto'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { afterEach, test } from 'node:test'
import { promisifyRequest, type UseStore } from 'idb-keyval'
import { browserPlatform } from '../src/browser/browser-platform.js'
import { idbMediaCache, MEDIA_DB_PREFIX, sweepMediaPartials } from '../src/browser/idb-media-cache.js'
import { recordsDb, STORAGE_HEADROOM_BYTES } from '../src/browser/idb-records.js'
import type { MediaCache } from '../src/media/media-cache.js'
import { memoryMediaCache } from '../src/media/memory-media-cache.js'
import { sha256 } from './helpers.js'
import { type CacheSetup, manualClock, mediaCacheContract, mediaInfo, store } from './media-cache-contract.js'

const MiB = 1024 * 1024

const databases = new Map<string, () => UseStore>()
/** Every record in a user's media database, counted the way a user's devtools would. */
async function recordCount(userId: string): Promise<number> {
  const name = MEDIA_DB_PREFIX + userId
  if (!databases.has(name)) databases.set(name, recordsDb(name))
  return databases.get(name)!()('readonly', (store) => promisifyRequest(store.count()))
}

let users = 0
/** A cache of a user of its own, so each test starts from an empty database. */
function setUp(setup: Partial<CacheSetup> = {}, owner = 'page-a') {
  const userId = `user-${users++}`
  const cache = idbMediaCache({ userId, owner: Promise.resolve(owner), ...setup })
  return { cache, userId, stored: () => recordCount(userId) }
}

function setNavigator(value: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true })
}

/** An origin whose storage is used by the cache's entries alone, with room for `room` bytes beyond the headroom. */
function fakeStorage(cache: MediaCache, room: number): void {
  const estimate = async () => {
    const usage = (await cache.list()).reduce((sum, m) => sum + m.size, 0)
    return { quota: STORAGE_HEADROOM_BYTES + room, usage }
  }
  setNavigator({ storage: { estimate } })
}

afterEach(() => setNavigator(undefined))

mediaCacheContract('indexeddb', async (setup) => setUp(setup))
mediaCacheContract('memory', async (setup) => ({ cache: memoryMediaCache(setup), stored: async () => undefined }))

for (const [kind, make] of [
  ['indexeddb', () => setUp().cache],
  ['memory', () => memoryMediaCache()],
] as const) {
  test(`${kind}: export gives the content as a Blob with the entry's name, type and digest`, async () => {
    const cache = make()
    const bytes = new Uint8Array(randomBytes(MiB + 1))
    const entry = await store(cache, bytes, { fileName: 'clip.mp4', mime: 'video/mp4' })
    const file = await cache.export(entry.mediaId)
    assert.deepEqual(
      [file.name, file.size, file.mime, file.sha256, file.blob?.type],
      ['clip.mp4', bytes.length, 'video/mp4', entry.sha256, 'video/mp4'],
    )
    assert.equal(sha256(new Uint8Array(await file.blob!.arrayBuffer())), entry.sha256)
  })
}

test('content is stored in chunk records of about a MiB, never as one value', async () => {
  const { cache, userId } = setUp()
  await store(cache, new Uint8Array(randomBytes(3 * MiB + 10)), {}, 64 * 1024)
  assert.equal(await recordCount(userId), 1 + 4, 'one meta record and four chunk records')
})

test('when the storage estimate has no room, least recently used entries go to make it; when all would not do, none go', async () => {
  const clock = manualClock()
  const { cache } = setUp(clock)
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    ids.push((await store(cache, new Uint8Array(MiB))).mediaId)
    clock.advance(1)
  }
  const [a, b, c] = ids as [string, string, string]
  await cache.get(a)
  clock.advance(1)
  fakeStorage(cache, 3.5 * MiB)
  const big = new Uint8Array(randomBytes(2 * MiB))
  const writer = await cache.create(mediaInfo(big))
  assert.deepEqual(
    (await cache.list()).map((m) => m.mediaId),
    [a],
    'b then c, the least recently used, made room for 1.5 MiB',
  )
  assert.equal(await cache.get(b), undefined)
  assert.equal(await cache.get(c), undefined)
  await writer.write(big)
  const d = (await writer.finish()).mediaId
  await assert.rejects(cache.create(mediaInfo(new Uint8Array(5 * MiB))), { code: 'storage-full' })
  assert.deepEqual(
    (await cache.list()).map((m) => m.mediaId),
    [d, a],
    'nothing was evicted for a media that could not fit anyway',
  )
})

test("partial entries of pages that are gone are swept; live pages' and complete entries are kept", async () => {
  const { cache: dead, userId, stored } = setUp({}, 'page-dead')
  const live = idbMediaCache({ userId, owner: Promise.resolve('page-live') })
  const liveBytes = new Uint8Array(randomBytes(3 * MiB))
  const deadWriter = await dead.create(mediaInfo(new Uint8Array(3 * MiB)))
  await deadWriter.write(new Uint8Array(2 * MiB))
  const liveWriter = await live.create(mediaInfo(liveBytes))
  await liveWriter.write(liveBytes.subarray(0, 2 * MiB))
  const done = await store(dead, new Uint8Array(randomBytes(1000)))
  assert.equal(await sweepMediaPartials(userId, () => undefined), 0, 'where liveness is unknown, only old partials go')
  assert.equal(await sweepMediaPartials(userId, (owner) => owner === 'page-live'), 1)
  assert.equal(await stored(), 2 + 1 + 2, "the complete entry's two records, the live partial and its two chunks")
  await liveWriter.write(liveBytes.subarray(2 * MiB))
  const finished = await liveWriter.finish()
  assert.deepEqual((await live.list()).map((m) => m.mediaId).sort(), [done.mediaId, finished.mediaId].sort())
})

test("users' caches are apart: one user's entries, limit and eviction never touch another's", async () => {
  const alice = setUp({ maxBytes: 1000 })
  const bob = setUp({ maxBytes: 1000 })
  const mine = await store(alice.cache, new Uint8Array(1000))
  await store(bob.cache, new Uint8Array(1000))
  assert.equal(await bob.cache.get(mine.mediaId), undefined)
  assert.ok(await alice.cache.get(mine.mediaId))
})

test('browserPlatform gives each user an IndexedDB media cache within mediaCacheBytes', async () => {
  const platform = browserPlatform({ mediaCacheBytes: 1000 })
  const userId = `platform-${users++}`
  const entry = await store(platform.createMediaCache(userId), new Uint8Array(1000))
  assert.ok(await platform.createMediaCache(userId).get(entry.mediaId))
  assert.ok(await idbMediaCache({ userId, owner: Promise.resolve('other page') }).get(entry.mediaId), 'in IndexedDB')
  await assert.rejects(platform.createMediaCache(userId).create(mediaInfo(new Uint8Array(1001))), {
    code: 'storage-full',
  })
})

test('browserPlatform with memory storage gives each user a memory cache that lasts as long as the platform', async () => {
  const platform = browserPlatform({ storage: 'memory', mediaCacheBytes: 1000 })
  const entry = await store(platform.createMediaCache('carol'), new Uint8Array(1000))
  assert.ok(await platform.createMediaCache('carol').get(entry.mediaId))
  assert.equal(await platform.createMediaCache('dave').get(entry.mediaId), undefined)
  assert.equal(await idbMediaCache({ userId: 'carol', owner: Promise.resolve('p') }).get(entry.mediaId), undefined)
  await assert.rejects(platform.createMediaCache('carol').create(mediaInfo(new Uint8Array(1001))), {
    code: 'storage-full',
  })
})
