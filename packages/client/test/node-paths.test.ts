import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { MEDIA_ID_PATTERN, USER_ID_PATTERN } from '@ferry/protocol'
import { newMediaId } from '../src/media/media-id.js'
import { idFromSegment, idSegment } from '../src/node/id-paths.js'
import { nodePlatform, safeFileName } from '../src/node/index.js'
import { mediaInfo, store } from './media-cache-contract.js'

const root = await mkdtemp(join(tmpdir(), 'ferry-node-paths-'))
after(() => rm(root, { recursive: true, force: true }))

const SAFE_NAMES: [string, string][] = [
  ['report.pdf', 'report.pdf'],
  ['../../etc/passwd', 'passwd'],
  ['..\\..\\windows\\win.ini', 'win.ini'],
  ['..', 'file'],
  ['...', 'file'],
  ['', 'file'],
  ['   ', 'file'],
  ['.hidden', 'hidden'],
  [' .hidden', 'hidden'],
  ['a\u0000b\u001fc\u007fd', 'a_b_c_d'],
  ['what?*<>|":.txt', 'what_______.txt'],
  ['CON', '_CON'],
  ['con', '_con'],
  ['Con.txt', '_Con.txt'],
  ['nul.tar.gz', '_nul.tar.gz'],
  ['AUX ', '_AUX'],
  ['aux .txt', '_aux .txt'],
  ['PRN', '_PRN'],
  ['COM1', '_COM1'],
  ['com9.log', '_com9.log'],
  ['LPT1', '_LPT1'],
  ['lpt¹.txt', '_lpt¹.txt'],
  ['COM10', 'COM10'],
  ['CONSOLE.txt', 'CONSOLE.txt'],
  ['my CON.txt', 'my CON.txt'],
  ['notes.txt.', 'notes.txt'],
  ['notes.txt . . ', 'notes.txt'],
  ['trailing   ', 'trailing'],
]

for (const [name, safe] of SAFE_NAMES) {
  test(`safeFileName(${JSON.stringify(name)}) is ${JSON.stringify(safe)}`, () => {
    assert.equal(safeFileName(name), safe)
  })
}

test('safeFileName cuts long names to 255 bytes between characters, with no trailing dot left', () => {
  const long = `${'é'.repeat(127)}.${'x'.repeat(10)}`
  const safe = safeFileName(long)
  assert.ok(Buffer.byteLength(safe) <= 255)
  assert.equal(safe, 'é'.repeat(127), 'cut after the last whole é, and the dot before the cut dropped')
  const emoji = safeFileName('😀'.repeat(100))
  assert.equal(emoji, '😀'.repeat(63), 'no half surrogate pair')
})

test('ids become path segments that keep lowercase ids as they are and stand for one id each', () => {
  assert.equal(idSegment('alice'), 'alice')
  assert.equal(idSegment('user_1-x'), 'user_1-x')
  assert.equal(idSegment('Alice'), '~41lice')
  assert.equal(idSegment('a.b'), 'a~2eb')
  assert.equal(idSegment('c:d'), 'c~3ad')
  assert.equal(idSegment('x.'), 'x~2e')
  assert.equal(idSegment('con'), '~63on')
  assert.equal(idSegment('lpt1'), '~6cpt1')
  assert.equal(idSegment('a~b'), 'a~7eb')
  assert.throws(() => idSegment(''), { code: 'invalid-argument' })
  const ids = ['alice', 'Alice', 'ALICE', 'aLiCe', 'a.b', 'a~2eb', 'con', 'CON', 'x', 'x.', 'u@host', 'a:b', '.a', '-']
  const segments = ids.map(idSegment)
  assert.equal(new Set(segments.map((s) => s.toLowerCase())).size, ids.length, 'distinct even where case is ignored')
  for (const [i, segment] of segments.entries()) {
    assert.match(segment, /^[a-z0-9_~-]+$/)
    assert.equal(idFromSegment(segment), ids[i])
  }
  for (let i = 0; i < 200; i++) {
    const id = newMediaId()
    assert.equal(idFromSegment(idSegment(id)), id)
  }
  for (const name of ['Alice', 'a.b', '~4', '~zz', '', 'con', '.part'])
    assert.equal(idFromSegment(name), undefined, name)
})

test('media ids differing only in case are kept apart in the Node cache', async () => {
  const platform = nodePlatform({ wrtc: undefined, mediaDir: join(root, 'media'), downloadDir: join(root, 'dl') })
  const cache = platform.createMediaCache('carol')
  const upper = mediaInfo(new Uint8Array([1, 2, 3]), { mediaId: `A${'b'.repeat(31)}` })
  const lower = mediaInfo(new Uint8Array([4, 5, 6, 7]), { mediaId: `a${'b'.repeat(31)}` })
  assert.match(upper.mediaId, MEDIA_ID_PATTERN)
  await store(cache, new Uint8Array([1, 2, 3]), upper)
  assert.equal(await cache.get(lower.mediaId), undefined, 'the other case is another media')
  await store(cache, new Uint8Array([4, 5, 6, 7]), lower)
  assert.equal((await cache.get(upper.mediaId))?.size, 3)
  assert.equal((await cache.get(lower.mediaId))?.size, 4)
  assert.deepEqual((await cache.list()).map((media) => media.mediaId).sort(), [upper.mediaId, lower.mediaId].sort())
})

test('user ids a file system would misread get their own cache directory each', async () => {
  const mediaDir = join(root, 'users')
  const platform = nodePlatform({ wrtc: undefined, mediaDir, downloadDir: join(root, 'dl') })
  const users = ['bob', 'Bob', 'CON', 'x.', 'x', 'a:b', 'lpt1.txt']
  for (const user of users) {
    assert.match(user, USER_ID_PATTERN)
    await store(platform.createMediaCache(user), new Uint8Array([1]))
  }
  const dirs = await readdir(mediaDir)
  assert.deepEqual(dirs.sort(), users.map(idSegment).sort())
  assert.equal(new Set(dirs.map((d) => d.toLowerCase())).size, users.length)
})
