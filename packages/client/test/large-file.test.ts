import assert from 'node:assert/strict'
import { test } from 'node:test'
import { collect, next, randomFile, sha256File, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {} })

test('a 200 MB file arrives intact, with progress at least every 1 % up to the total', {
  timeout: 180_000,
}, async () => {
  const size = 200 * 1000 * 1000
  const source = await randomFile(t.h.dir, 'movie.mkv', size)
  const progress = collect(t.alice, 'progress')
  const received = next(t.bob, 'file', () => true, 170_000)
  await t.alice.sendFile('bob', source.path).done
  const { file } = await received
  assert.equal(file.size, size)
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.equal(progress.at(-1)?.sent, size)
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i]!.sent - progress[i - 1]!.sent <= size / 100 + 256 * 1024, 'a gap of more than 1 %')
  }
})
