import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { collect, filesIn, next, randomFile, sha256File, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {} })

test('a file arrives in the download directory with its name, size, mime and hash', async () => {
  const source = await randomFile(t.h.dir, 'photo.png', 3 * 1024 * 1024 + 17)
  const received = next(t.bob, 'file')
  const task = t.alice.sendFile('bob', source.path, { cookie: 7 })
  const result = await task.done
  const { from, file } = await received
  assert.equal(from, 'alice')
  assert.equal(result.fileName, 'photo.png')
  assert.equal(file.name, 'photo.png')
  assert.equal(file.mime, 'image/png')
  assert.equal(file.size, 3 * 1024 * 1024 + 17)
  assert.equal(file.sha256, source.sha256)
  assert.equal(file.path, join(t.h.dir, 'bob', 'photo.png'))
  assert.equal(await sha256File(file.path!), source.sha256)
  assert.deepEqual(await filesIn(join(t.h.dir, 'bob')), ['photo.png'], 'no partial file is left')
})

test('a second file with the same name does not overwrite the first', async () => {
  const path = join(t.h.dir, 'note.txt')
  await writeFile(path, 'first')
  const first = next(t.bob, 'file')
  await t.alice.sendFile('bob', path).done
  await writeFile(path, 'second')
  const second = next(t.bob, 'file')
  await t.alice.sendFile('bob', path).done
  assert.equal(await readFile((await first).file.path!, 'utf8'), 'first')
  assert.equal(await readFile((await second).file.path!, 'utf8'), 'second')
  assert.equal((await second).file.path, join(t.h.dir, 'bob', 'note (1).txt'))
})

test('a hostile file name cannot escape the download directory', async () => {
  const path = join(t.h.dir, 'innocent.bin')
  await writeFile(path, 'payload')
  const received = next(t.bob, 'file')
  await t.alice.sendFile('bob', path, { name: '../../etc/.passwd' }).done
  const { file } = await received
  assert.equal(file.name, '../../etc/.passwd', 'the event still reports the name the sender gave')
  assert.equal(file.path, join(t.h.dir, 'bob', 'passwd'))
})

test('a name and mime given by the sender override the file’s own', async () => {
  const path = join(t.h.dir, 'raw.dat')
  await writeFile(path, 'x')
  const received = next(t.bob, 'file')
  await t.alice.sendFile('bob', path, { name: 'report.pdf', mime: 'application/pdf' }).done
  const { file } = await received
  assert.equal(file.name, 'report.pdf')
  assert.equal(file.mime, 'application/pdf')
})

test('a Blob can be sent as a file from Node too', async () => {
  const received = next(t.bob, 'file')
  await t.alice.sendFile('bob', new Blob(['blob body'], { type: 'text/plain' }), { name: 'b.txt' }).done
  const { file } = await received
  assert.equal(await readFile(file.path!, 'utf8'), 'blob body')
  assert.equal(file.mime, 'text/plain')
})

test('a missing file fails with file-read-error and nothing reaches the receiver', async () => {
  const starts = collect(t.bob, 'receive-start')
  const task = t.alice.sendFile('bob', join(t.h.dir, 'does-not-exist'))
  await assert.rejects(task.done, { code: 'file-read-error' })
  assert.equal(starts.length, 0)
})

test('a directory is not a file', async () => {
  await assert.rejects(t.alice.sendFile('bob', t.h.dir).done, { code: 'file-read-error' })
})
