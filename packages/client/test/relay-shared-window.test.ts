import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { RELAY_USER_WINDOW_BYTES, WINDOW_BYTES } from '@ferry/protocol'
import { collect, filesIn, next, randomFile, sha256, sha256File, useClients } from './helpers.js'

const t = useClients({ alice: { transport: 'relay' }, bob: { transport: 'relay' } })

const MiB = 1024 * 1024

test('several buffers and files at once through the relay share one window: all arrive, nobody is cut off', async () => {
  const states = collect(t.alice, 'state')
  const buffers = Array.from({ length: 4 }, () => randomBytes(12 * MiB))
  const files = await Promise.all([0, 1, 2].map((i) => randomFile(t.h.dir, `shared-${i}.bin`, 20 * MiB + i)))
  // More in flight than the relay lets one user have, were every transfer to fill its own window.
  const wanted = buffers.reduce((sum, b) => sum + Math.min(b.length, WINDOW_BYTES), 0) + files.length * WINDOW_BYTES
  assert.ok(wanted > RELAY_USER_WINDOW_BYTES)

  const gotBuffers = new Map<string, string>()
  const gotFiles = new Map<string, string>()
  const allArrived = new Promise<void>((resolve) => {
    const check = (): void => {
      if (gotBuffers.size === buffers.length && gotFiles.size === files.length) resolve()
    }
    t.bob.on('buffer', ({ taskId, data }) => {
      gotBuffers.set(taskId, sha256(data))
      check()
    })
    t.bob.on('file', async ({ taskId, file }) => {
      gotFiles.set(taskId, await sha256File(file.path ?? ''))
      check()
    })
  })
  const bufferTasks = buffers.map((bytes) => t.alice.sendBuffer('bob', bytes))
  const fileTasks = files.map((file) => t.alice.sendFile('bob', file.path))
  await Promise.all([...bufferTasks, ...fileTasks].map((task) => task.done))
  await allArrived

  for (const [i, task] of bufferTasks.entries())
    assert.equal(gotBuffers.get(task.id), sha256(buffers[i] ?? new Uint8Array()))
  for (const [i, task] of fileTasks.entries()) assert.equal(gotFiles.get(task.id), files[i]?.sha256)
  assert.equal(t.alice.state, 'connected')
  assert.deepEqual(states, [], 'alice was never cut off')
})

test('a transfer cancelled mid-way through the relay, then new ones at once: they all arrive, nobody is cut off', async () => {
  const states = collect(t.alice, 'state')
  const big = await randomFile(t.h.dir, 'cancel-then-more.bin', 64 * MiB)
  const task = t.alice.sendFile('bob', big.path)
  await next(t.bob, 'receive-progress', (event) => event.taskId === task.id && event.received > 0)
  const failed = next(t.bob, 'receive-failed', (event) => event.taskId === task.id)
  assert.equal(t.alice.cancelSend(task.id), 'ok')
  await assert.rejects(task.done, { code: 'cancelled' })

  // Straight away, before bob's confirmation can have come back: a whole user window's worth of new transfers.
  const buffers = Array.from({ length: 4 }, () => randomBytes(16 * MiB))
  const received = new Map<string, string>()
  const arrived = new Promise<void>((resolve) => {
    t.bob.on('buffer', ({ taskId, data }) => {
      received.set(taskId, sha256(data))
      if (received.size === buffers.length) resolve()
    })
  })
  const tasks = buffers.map((bytes) => t.alice.sendBuffer('bob', bytes))
  await Promise.all(tasks.map((task) => task.done))
  await arrived
  for (const [i, task] of tasks.entries()) assert.equal(received.get(task.id), sha256(buffers[i] ?? new Uint8Array()))

  assert.equal((await failed).code, 'cancelled')
  for (let i = 0; i < 50 && (await filesIn(join(t.h.dir, 'bob'))).some((n) => n.endsWith('.part')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.ok(
    !(await filesIn(join(t.h.dir, 'bob'))).some((n) => n.endsWith('.part')),
    'nothing of the cancelled file kept',
  )
  assert.equal(t.alice.state, 'connected')
  assert.deepEqual(states, [], 'alice was never cut off')
})
