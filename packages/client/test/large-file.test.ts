import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { FerryClient } from '../src/index.js'
import { collect, type Harness, harness, next, randomFile, sha256File } from './helpers.js'

let h: Harness
let alice: FerryClient
let bob: FerryClient

before(async () => {
  h = await harness()
  alice = await h.client('alice')
  bob = await h.client('bob')
})
after(() => h.close())

test('a 200 MB file arrives intact, with progress at least every 1 % up to the total', {
  timeout: 180_000,
}, async () => {
  const size = 200 * 1000 * 1000
  const source = await randomFile(h.dir, 'movie.mkv', size)
  const progress = collect(alice, 'progress')
  const received = next(bob, 'file', () => true, 170_000)
  await alice.sendFile('bob', source.path).done
  const { file } = await received
  assert.equal(file.size, size)
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.equal(progress.at(-1)?.sent, size)
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i]!.sent - progress[i - 1]!.sent <= size / 100 + 256 * 1024, 'a gap of more than 1 %')
  }
})
