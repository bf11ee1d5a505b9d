import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import type { MediaInfo } from '@ferry/protocol'
import type { CachedMedia, MediaCache } from '../src/media/media-cache.js'
import { newMediaId } from '../src/media/media-id.js'
import type { FileSource } from '../src/types.js'
import { sha256 } from './helpers.js'

/**
 * What every MediaCache does, whatever it stores in: each implementation's test file runs these
 * against it, then tests what only it does (files on disk, IndexedDB records, quota).
 */

export interface CacheUnderTest {
  cache: MediaCache
  /** Files or records the cache holds, hidden and partial ones included; undefined where none can be seen. */
  stored(): Promise<number | undefined>
}

export interface CacheSetup {
  maxBytes?: number
  now: () => number
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let time = start
  return {
    now: () => time,
    advance(ms) {
      time += ms
    },
  }
}

export function mediaInfo(bytes: Uint8Array, fields: Partial<MediaInfo> = {}): MediaInfo {
  return {
    mediaId: newMediaId(),
    uploader: 'alice',
    fileName: 'photo.jpg',
    size: bytes.length,
    mime: 'image/jpeg',
    sha256: sha256(bytes),
    expiresAt: 0,
    ...fields,
  }
}

/** Writes `bytes` as a new entry in pieces of `piece` bytes and finishes it. */
export async function store(
  cache: MediaCache,
  bytes: Uint8Array,
  fields: Partial<MediaInfo> = {},
  piece = 256 * 1024,
): Promise<CachedMedia> {
  const writer = await cache.create(mediaInfo(bytes, fields))
  for (let at = 0; at < bytes.length; at += piece) await writer.write(bytes.subarray(at, at + piece))
  return writer.finish()
}

/** Every byte of a source, read as the engine reads: positionally, in pieces. */
export async function readSource(source: FileSource): Promise<Uint8Array> {
  const out = new Uint8Array(source.size)
  for (let at = 0; at < source.size; ) {
    const read = await source.readInto(out.subarray(at, at + 300_000), at)
    assert.ok(read > 0, 'a source ended before its size')
    at += read
  }
  await source.close()
  return out
}

export function mediaCacheContract(kind: string, setUp: (setup: CacheSetup) => Promise<CacheUnderTest>): void {
  test(`${kind}: an entry written in pieces comes back whole from open, and nothing of it shows before finish`, async () => {
    const clock = manualClock()
    const { cache } = await setUp(clock)
    const bytes = new Uint8Array(randomBytes(2 * 1024 * 1024 + 777))
    const info = mediaInfo(bytes, { fileName: 'cat.jpg' })
    const writer = await cache.create(info)
    await writer.write(bytes.subarray(0, 1024 * 1024 + 5))
    assert.equal(await cache.get(info.mediaId), undefined)
    assert.deepEqual(await cache.list(), [])
    await assert.rejects(cache.open(info.mediaId), { code: 'media-not-found' })
    await writer.write(bytes.subarray(1024 * 1024 + 5))
    const entry = await writer.finish()
    assert.deepEqual(entry, { ...info, cachedAt: clock.now(), usedAt: clock.now() })
    clock.advance(10)
    assert.deepEqual(await cache.get(info.mediaId), { ...entry, usedAt: clock.now() })
    const source = await cache.open(info.mediaId)
    assert.deepEqual([source.name, source.size, source.mime], ['cat.jpg', bytes.length, 'image/jpeg'])
    assert.equal(sha256(await readSource(source)), info.sha256)
    assert.deepEqual(
      (await cache.list()).map((m) => m.mediaId),
      [info.mediaId],
    )
  })

  test(`${kind}: an aborted entry leaves nothing behind, and its writer takes no more`, async () => {
    const { cache, stored } = await setUp(manualClock())
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024))
    const writer = await cache.create(mediaInfo(bytes))
    await writer.write(bytes.subarray(0, 2 * 1024 * 1024))
    await writer.abort()
    await writer.abort()
    await assert.rejects(writer.write(bytes.subarray(0, 10)), { code: 'file-write-error' })
    await assert.rejects(writer.finish(), { code: 'file-write-error' })
    assert.deepEqual(await cache.list(), [])
    assert.ok(((await stored()) ?? 0) === 0, 'nothing is stored')
  })

  test(`${kind}: a finish short of the size fails and stores nothing; abort then removes what was written`, async () => {
    const { cache, stored } = await setUp(manualClock())
    const bytes = new Uint8Array(randomBytes(5000))
    const info = mediaInfo(bytes)
    const writer = await cache.create(info)
    await writer.write(bytes.subarray(0, 4999))
    await assert.rejects(writer.finish(), { code: 'file-write-error' })
    assert.equal(await cache.get(info.mediaId), undefined)
    await writer.abort()
    assert.ok(((await stored()) ?? 0) === 0, 'nothing is stored')
  })

  test(`${kind}: an entry started without its SHA-256 takes it at finish, and cannot finish without one`, async () => {
    const { cache, stored } = await setUp(manualClock())
    const bytes = new Uint8Array(randomBytes(5000))
    const { sha256: digest, ...draft } = mediaInfo(bytes)
    const writer = await cache.create(draft)
    await writer.write(bytes)
    await assert.rejects(writer.finish(), { code: 'invalid-argument' })
    assert.equal(await cache.get(draft.mediaId), undefined)
    assert.equal((await writer.finish(digest)).sha256, digest)
    assert.equal((await cache.get(draft.mediaId))?.sha256, digest)
    assert.deepEqual(await readSource(await cache.open(draft.mediaId)), bytes)

    const unfinished = await cache.create(mediaInfo(bytes, { sha256: undefined as never }))
    await unfinished.write(bytes)
    await assert.rejects(unfinished.finish('not a digest'), { code: 'invalid-argument' })
    await unfinished.abort()
    assert.ok(((await stored()) ?? 1) >= 1, 'the finished entry stays')
  })

  test(`${kind}: over its limit the cache drops the least recently used first (get is a use); list is most recent first`, async () => {
    const clock = manualClock()
    const { cache } = await setUp({ ...clock, maxBytes: 3000 })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      ids.push((await store(cache, new Uint8Array(randomBytes(1000)))).mediaId)
      clock.advance(1)
    }
    const [a, b, c] = ids as [string, string, string]
    assert.deepEqual(
      (await cache.list()).map((m) => m.mediaId),
      [c, b, a],
    )
    assert.ok(await cache.get(a))
    clock.advance(1)
    assert.deepEqual(
      (await cache.list()).map((m) => m.mediaId),
      [a, c, b],
      'get made a the most recently used',
    )
    const d = (await store(cache, new Uint8Array(randomBytes(1000)))).mediaId
    assert.deepEqual(
      (await cache.list()).map((m) => m.mediaId),
      [d, a, c],
      'b, the least recently used, was evicted',
    )
    assert.equal(await cache.get(b), undefined)
    clock.advance(1)
    const e = (await store(cache, new Uint8Array(randomBytes(2500)))).mediaId
    assert.deepEqual(
      (await cache.list()).map((m) => m.mediaId),
      [e],
      'the new entry stays; everything else had to go',
    )
  })

  test(`${kind}: an entry larger than the whole cache is refused with storage-full before anything is written`, async () => {
    const { cache, stored } = await setUp({ ...manualClock(), maxBytes: 3000 })
    await assert.rejects(cache.create(mediaInfo(new Uint8Array(3001))), { code: 'storage-full' })
    assert.ok(((await stored()) ?? 0) === 0, 'nothing is stored')
    await store(cache, new Uint8Array(3000))
  })

  test(`${kind}: an expired entry counts as absent everywhere and is removed when met; expiresAt 0 never expires`, async () => {
    const clock = manualClock()
    const { cache, stored } = await setUp(clock)
    const expiring = await store(cache, new Uint8Array(randomBytes(100)), { expiresAt: clock.now() + 1000 })
    const lasting = await store(cache, new Uint8Array(randomBytes(100)))
    const before = await stored()
    clock.advance(999)
    assert.ok(await cache.get(expiring.mediaId), 'still there a millisecond before it expires')
    clock.advance(1)
    assert.deepEqual(
      (await cache.list()).map((m) => m.mediaId),
      [lasting.mediaId],
    )
    assert.equal(await cache.get(expiring.mediaId), undefined)
    await assert.rejects(cache.open(expiring.mediaId), { code: 'media-not-found' })
    await assert.rejects(cache.export(expiring.mediaId), { code: 'media-not-found' })
    assert.equal(await cache.delete(expiring.mediaId), false)
    if (before !== undefined) assert.equal(await stored(), before / 2, "the expired entry's storage is freed")
    clock.advance(365 * 24 * 60 * 60 * 1000)
    assert.ok(await cache.get(lasting.mediaId))
  })

  test(`${kind}: setExpiry moves an entry's expiry, and is a no-op for an absent one`, async () => {
    const clock = manualClock()
    const { cache } = await setUp(clock)
    const entry = await store(cache, new Uint8Array(randomBytes(100)))
    await cache.setExpiry(entry.mediaId, clock.now() + 50)
    assert.equal((await cache.get(entry.mediaId))?.expiresAt, clock.now() + 50)
    await cache.setExpiry(newMediaId(), clock.now() + 50)
    await cache.setExpiry('not a media id', clock.now() + 50)
    await assert.rejects(cache.setExpiry(entry.mediaId, -1), { code: 'invalid-argument' })
    clock.advance(50)
    assert.equal(await cache.get(entry.mediaId), undefined)
    assert.deepEqual(await cache.list(), [])
  })

  test(`${kind}: delete removes an entry and its content, and says whether there was one`, async () => {
    const { cache, stored } = await setUp(manualClock())
    const entry = await store(cache, new Uint8Array(randomBytes(1500 * 1024)))
    assert.equal(await cache.delete(entry.mediaId), true)
    assert.equal(await cache.delete(entry.mediaId), false)
    assert.equal(await cache.get(entry.mediaId), undefined)
    await assert.rejects(cache.open(entry.mediaId), { code: 'media-not-found' })
    assert.ok(((await stored()) ?? 0) === 0, 'nothing is stored')
  })

  test(`${kind}: a second download of the same media replaces the first`, async () => {
    const { cache, stored } = await setUp(manualClock())
    const bytes = new Uint8Array(randomBytes(1500 * 1024))
    const mediaId = newMediaId()
    await store(cache, bytes, { mediaId })
    const once = await stored()
    await store(cache, bytes, { mediaId, fileName: 'again.jpg' })
    assert.deepEqual(
      (await cache.list()).map((m) => [m.mediaId, m.fileName]),
      [[mediaId, 'again.jpg']],
    )
    assert.equal(await stored(), once)
    assert.equal(sha256(await readSource(await cache.open(mediaId))), sha256(bytes))
  })

  test(`${kind}: malformed media ids find nothing, and malformed infos are refused with invalid-argument`, async () => {
    const { cache, stored } = await setUp(manualClock())
    for (const id of ['', 'short', '../../../../etc/passwd', `${'A'.repeat(31)}/`, `${'A'.repeat(32)}.json`]) {
      assert.equal(await cache.get(id), undefined)
      await assert.rejects(cache.open(id), { code: 'media-not-found' })
      await assert.rejects(cache.export(id), { code: 'media-not-found' })
      assert.equal(await cache.delete(id), false)
      await assert.rejects(cache.create(mediaInfo(new Uint8Array(10), { mediaId: id })), { code: 'invalid-argument' })
    }
    const bytes = new Uint8Array(10)
    for (const bad of [{ size: 0 }, { sha256: 'xyz' }, { uploader: 'no spaces allowed' }, { expiresAt: -1 }]) {
      await assert.rejects(cache.create(mediaInfo(bytes, bad)), { code: 'invalid-argument' }, JSON.stringify(bad))
    }
    assert.ok(((await stored()) ?? 0) === 0, 'nothing is stored')
  })
}
