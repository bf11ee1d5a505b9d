import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { FerryClient } from '../src/index.js'
import { filesIn, type Harness, harness, next, randomFile } from './helpers.js'

let h: Harness
let alice: FerryClient
let bob: FerryClient
let big: { path: string; sha256: string }

before(async () => {
  h = await harness()
  alice = await h.client('alice')
  bob = await h.client('bob')
  big = await randomFile(h.dir, 'big.bin', 64 * 1024 * 1024)
  await alice.sendCmd('bob', 'warm up the link').done
})
after(() => h.close())

/** Polls until `dir` holds nothing, failing after 5 s. */
async function emptied(dir: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await filesIn(dir)).length === 0) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.deepEqual(await filesIn(dir), [], `${dir} still holds files`)
}

test('the sender cancels mid-file: its task ends cancelled, the receiver is told and keeps nothing', async () => {
  const task = alice.sendFile('bob', big.path, { cookie: 'x' })
  await next(bob, 'receive-progress', (p) => p.taskId === task.id)
  const failed = next(bob, 'receive-failed', (e) => e.taskId === task.id)
  const result = next(alice, 'result', (r) => r.taskId === task.id)
  assert.equal(alice.cancelSend(task.id), 'ok')
  await assert.rejects(task.done, { code: 'cancelled', name: 'AbortError' })
  assert.equal((await result).error?.code, 'cancelled')
  assert.equal((await result).cookie, 'x')
  assert.deepEqual(await failed, { from: 'alice', taskId: task.id, kind: 'file', code: 'cancelled' })
  await emptied(join(h.dir, 'bob'))
  assert.equal(alice.cancelSend(task.id), 'already-finished')
})

test('an AbortSignal cancels a buffer transfer', async () => {
  const controller = new AbortController()
  const task = alice.sendBuffer('bob', new Uint8Array(64 * 1024 * 1024), { signal: controller.signal })
  const failed = next(bob, 'receive-failed', (e) => e.taskId === task.id)
  await next(alice, 'progress', (p) => p.taskId === task.id)
  controller.abort()
  await assert.rejects(task.done, { code: 'cancelled' })
  assert.equal((await failed).code, 'cancelled')
})

test('an already aborted signal cancels before anything is sent', async () => {
  const task = alice.sendBuffer('bob', new Uint8Array(10), { signal: AbortSignal.abort() })
  await assert.rejects(task.done, { code: 'cancelled' })
})

test('the receiver cancels mid-file: the sender’s task ends cancelled and no partial file is left', async () => {
  const task = alice.sendFile('bob', big.path)
  const progress = await next(bob, 'receive-progress', (p) => p.taskId === task.id)
  assert.equal(bob.cancelReceive('alice', task.id), 'ok')
  await assert.rejects(task.done, { code: 'cancelled' })
  assert.ok(progress.received < progress.total)
  await emptied(join(h.dir, 'bob'))
  assert.equal(bob.cancelReceive('alice', task.id), 'unknown-task')
})

test('cancelling an unknown task answers unknown-task, a finished one already-finished', async () => {
  assert.equal(alice.cancelSend('123456'), 'unknown-task')
  assert.equal(alice.cancelSend('not a task'), 'unknown-task')
  const task = alice.sendBuffer('bob', new Uint8Array(1000))
  await task.done
  assert.equal(alice.cancelSend(task.id), 'already-finished')
})

test('after a cancel the link still carries new transfers', async () => {
  const received = next(bob, 'file')
  await alice.sendFile('bob', big.path).done
  assert.equal((await received).file.sha256, big.sha256)
})
