import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CachedMedia } from '../src/media/media-cache.js'
import { lruVictims } from '../src/media/media-cache-policy.js'

function entry(mediaId: string, size: number, usedAt: number, cachedAt = usedAt): CachedMedia {
  return { mediaId, uploader: 'alice', fileName: 'f', size, mime: 'x/y', sha256: '', expiresAt: 0, cachedAt, usedAt }
}

test('eviction drops the least recently used first, and only as many as it takes', () => {
  const entries = [entry('new', 10, 3), entry('old', 10, 1), entry('mid', 10, 2)]
  assert.deepEqual(
    lruVictims(entries, 30).map((e) => e.mediaId),
    [],
  )
  assert.deepEqual(
    lruVictims(entries, 20).map((e) => e.mediaId),
    ['old'],
  )
  assert.deepEqual(
    lruVictims(entries, 10).map((e) => e.mediaId),
    ['old', 'mid'],
  )
})

test('between entries used at the same time, the one cached earlier goes first', () => {
  const entries = [entry('later', 10, 5, 4), entry('earlier', 10, 5, 2)]
  for (const order of [entries, [...entries].reverse()]) {
    assert.deepEqual(
      lruVictims(order, 10).map((e) => e.mediaId),
      ['earlier'],
    )
  }
})

test('eviction never drops the entry just stored, even when others were used in the same millisecond', () => {
  const same = [entry('kept', 2000, 5), entry('other', 2000, 5)]
  for (const entries of [same, [...same].reverse()]) {
    assert.deepEqual(
      lruVictims(entries, 3000, 'kept').map((e) => e.mediaId),
      ['other'],
    )
  }
  assert.deepEqual(lruVictims([entry('kept', 2000, 5)], 1000, 'kept'), [], 'even when it alone is over')
})
