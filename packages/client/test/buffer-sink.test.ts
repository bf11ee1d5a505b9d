import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { bufferSink } from '../src/buffer-sink.js'
import { ByteBudget } from '../src/byte-budget.js'
import { growingBytes, resizableArrayBuffers } from '../src/growing-bytes.js'

const MiB = 1024 * 1024

/** Writes `data` in chunks of `chunkBytes`, as an incoming transfer would. */
function inChunks(data: Uint8Array, chunkBytes: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < data.length; at += chunkBytes) chunks.push(data.subarray(at, at + chunkBytes))
  return chunks
}

test('Node grows ArrayBuffers in place', () => {
  assert.equal(resizableArrayBuffers, true)
})

for (const resizable of [true, false]) {
  const how = resizable ? 'in place' : 'by copying'

  test(`growing ${how}, the bytes come out whole, in a buffer of exactly their size`, () => {
    const data = new Uint8Array(randomBytes(300_001))
    const bytes = growingBytes(data.length, { resizable })
    for (const chunk of inChunks(data, 65_536)) bytes.append(chunk)
    assert.equal(bytes.length, data.length)
    const out = bytes.take()
    assert.deepEqual(out, data)
    assert.equal(out.byteLength, data.length)
    assert.equal(out.buffer.byteLength, data.length, 'no spare capacity is delivered')
    assert.throws(() => bytes.append(new Uint8Array(1)), RangeError, 'taken bytes take no more')
  })

  test(`growing ${how}, a byte past the final size is refused and nothing is appended`, () => {
    const bytes = growingBytes(10, { resizable })
    bytes.append(new Uint8Array(8))
    assert.throws(() => bytes.append(new Uint8Array(3)), RangeError)
    assert.equal(bytes.length, 8)
  })

  test(`a buffer sink growing ${how} takes from the shared budget what arrived, and gives it back`, async () => {
    const budget = new ByteBudget(1000)
    const first = bufferSink(800, budget, { resizable })
    const second = bufferSink(800, budget, { resizable })
    await first.write(new Uint8Array(600))
    assert.equal(budget.taken, 600, 'the announced 800 bytes are not taken, the 600 that arrived are')
    await assert.rejects(async () => second.write(new Uint8Array(500)), { code: 'storage-full' })
    assert.equal(budget.taken, 600, 'a refused chunk takes nothing')
    await first.abort()
    assert.equal(budget.taken, 0, 'a dropped buffer gives back what it held')
    await second.write(new Uint8Array(500))
    await second.write(new Uint8Array([1, 2, 3]))
    const out = await second.finish('')
    assert.equal(out.length, 503)
    assert.deepEqual(out.subarray(500), new Uint8Array([1, 2, 3]))
    assert.equal(budget.taken, 0, 'a delivered buffer is the application’s: the budget has it back')
    await second.abort()
    assert.equal(budget.taken, 0, 'an abort after finish gives nothing back twice')
  })
}

test('a sink announced at 512 MiB takes memory only for the bytes that arrived', async () => {
  const budget = new ByteBudget(512 * MiB)
  const before = process.memoryUsage()
  const sink = bufferSink(512 * MiB, budget)
  for (let i = 0; i < 4; i++) await sink.write(new Uint8Array(MiB).fill(i + 1))
  const after = process.memoryUsage()
  const grew = { rss: after.rss - before.rss, arrayBuffers: after.arrayBuffers - before.arrayBuffers }
  assert.ok(grew.rss < 64 * MiB, `RSS grew by ${grew.rss} bytes`)
  assert.ok(grew.arrayBuffers < 64 * MiB, `ArrayBuffers grew by ${grew.arrayBuffers} bytes`)
  assert.equal(budget.taken, 4 * MiB)
  await sink.abort()
  assert.equal(budget.taken, 0)
})
