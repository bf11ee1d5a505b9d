import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { collect, next, sha256, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: { maxBufferBytes: 16 * 1024 * 1024 } })

test('a 5 MiB buffer arrives whole with the same SHA-256, progress climbing to the total', async () => {
  const bytes = randomBytes(5 * 1024 * 1024)
  const progress = collect(t.alice, 'progress')
  const started = next(t.bob, 'receive-start')
  const received = next(t.bob, 'buffer')
  const task = t.alice.sendBuffer('bob', bytes, { cookie: 'c1' })
  const start = await started
  assert.deepEqual(
    { from: start.from, taskId: start.taskId, kind: start.kind, size: start.size },
    { from: 'alice', taskId: task.id, kind: 'buffer', size: bytes.length },
  )
  const result = await task.done
  const got = await received
  assert.equal(got.from, 'alice')
  assert.equal(sha256(got.data), sha256(bytes))
  assert.equal(got.sha256, sha256(bytes))
  assert.equal(result.error, undefined)
  assert.equal(result.cookie, 'c1')
  const mine = progress.filter((p) => p.taskId === task.id)
  assert.ok(mine.length >= 5, `only ${mine.length} progress events`)
  for (let i = 1; i < mine.length; i++) assert.ok(mine[i]!.sent > mine[i - 1]!.sent, 'progress is monotonic')
  assert.deepEqual(mine.at(-1), {
    taskId: task.id,
    to: 'bob',
    kind: 'buffer',
    sent: bytes.length,
    total: bytes.length,
    cookie: 'c1',
  })
})

test('an empty buffer and a one-byte buffer arrive', async () => {
  const empty = next(t.bob, 'buffer')
  await t.alice.sendBuffer('bob', new Uint8Array(0)).done
  assert.equal((await empty).data.length, 0)
  const one = next(t.bob, 'buffer')
  await t.alice.sendBuffer('bob', new Uint8Array([42])).done
  assert.deepEqual([...(await one).data], [42])
})

test("a buffer over the receiver's limit is refused with buffer-too-large, and the receiver gets nothing", async () => {
  const deliveries = collect(t.bob, 'buffer')
  const task = t.alice.sendBuffer('bob', new Uint8Array(17 * 1024 * 1024))
  await assert.rejects(task.done, { code: 'buffer-too-large' })
  assert.equal(deliveries.length, 0)
})

test('incoming buffers together stay within the memory limit: one more is refused with storage-full', async () => {
  const first = t.alice.sendBuffer('bob', new Uint8Array(10 * 1024 * 1024))
  const second = t.alice.sendBuffer('bob', new Uint8Array(10 * 1024 * 1024))
  const outcomes = await Promise.allSettled([first.done, second.done])
  const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'ok'))
  assert.deepEqual(codes.sort(), ['ok', 'storage-full'])
})

test("a buffer over the sender's own limit fails before anything is sent", async () => {
  const task = t.bob.sendBuffer('alice', new Uint8Array(16 * 1024 * 1024 + 1))
  await assert.rejects(task.done, { code: 'buffer-too-large' })
})
