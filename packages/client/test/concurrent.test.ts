import assert from 'node:assert/strict'
import { test } from 'node:test'
import { collect, next, randomFile, sha256File, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {}, carol: {} })

test('three files at once to one peer all arrive intact, sharing the link fairly', async () => {
  const files = await Promise.all([1, 2, 3].map((n) => randomFile(t.h.dir, `f${n}.bin`, 24 * 1024 * 1024)))
  const progress = collect(t.alice, 'progress')
  const received = new Map<string, string>()
  t.bob.on('file', (e) => received.set(e.file.name, e.file.path!))
  const tasks = files.map((f) => t.alice.sendFile('bob', f.path))
  const finishOrder: string[] = []
  await Promise.all(tasks.map((t) => t.done.then(() => finishOrder.push(t.id))))
  for (const [i, f] of files.entries()) assert.equal(await sha256File(received.get(`f${i + 1}.bin`)!), f.sha256)
  // Fair sharing: every transfer had made progress before the first one finished.
  const firstDone = progress.findIndex((p) => p.sent === p.total)
  for (const t of tasks) {
    const firstOwn = progress.findIndex((p) => p.taskId === t.id)
    assert.ok(firstOwn !== -1 && firstOwn < firstDone, `task ${t.id} waited for another to finish`)
  }
})

test('transfers to two peers and both directions at once all arrive intact', async () => {
  const [a, b, c] = await Promise.all(['x', 'y', 'z'].map((n) => randomFile(t.h.dir, `${n}.bin`, 8 * 1024 * 1024)))
  const atBob = next(t.bob, 'file', (e) => e.file.name === 'x.bin')
  const atCarol = next(t.carol, 'file', (e) => e.file.name === 'y.bin')
  const atAlice = next(t.alice, 'file', (e) => e.file.name === 'z.bin')
  await Promise.all([
    t.alice.sendFile('bob', a!.path).done,
    t.alice.sendFile('carol', b!.path).done,
    t.bob.sendFile('alice', c!.path).done,
  ])
  assert.equal((await atBob).file.sha256, a!.sha256)
  assert.equal((await atCarol).file.sha256, b!.sha256)
  assert.equal((await atAlice).file.sha256, c!.sha256)
})

test('a cmd sent during a large file does not wait for the file', async () => {
  const big = await randomFile(t.h.dir, 'big.bin', 96 * 1024 * 1024)
  const file = t.alice.sendFile('carol', big.path)
  await next(t.alice, 'progress', (p) => p.taskId === file.id)
  let fileDone = false
  void file.done.then(() => {
    fileDone = true
  })
  await t.alice.sendCmd('carol', 'urgent').done
  assert.equal(fileDone, false, 'the cmd was confirmed only after the whole file')
  await file.done
})

test('both users sending to each other for the first time at the same moment get one working link', async () => {
  const dave = await t.h.client('dave')
  const erin = await t.h.client('erin')
  const atErin = next(erin, 'cmd')
  const atDave = next(dave, 'cmd')
  await Promise.all([dave.sendCmd('erin', 'from dave').done, erin.sendCmd('dave', 'from erin').done])
  assert.equal((await atErin).data, 'from dave')
  assert.equal((await atDave).data, 'from erin')
})
