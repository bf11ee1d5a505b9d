import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { DEFAULT_CHUNK_BYTES, decodeFrame, type Frame, WINDOW_BYTES } from '@ferry/protocol'
import { bufferSink } from '../src/buffer-sink.js'
import { ByteBudget } from '../src/byte-budget.js'
import { IncomingTransfer, type TransferSink } from '../src/incoming-transfer.js'
import { nodePlatform } from '../src/node/index.js'
import { type FrameChannel, SendQueue } from '../src/send-queue.js'
import type { ReceivedFile } from '../src/types.js'

const MiB = 1024 * 1024

const root = await mkdtemp(join(tmpdir(), 'ferry-incoming-'))
after(() => rm(root, { recursive: true, force: true }))
let dirs = 0

function digestOf(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

/**
 * A Node file sink in a fresh directory whose `finish` waits until the test calls `release`, so a
 * frame can arrive while the file is being completed.
 */
async function heldFileSink(size: number) {
  const dir = join(root, `d${dirs++}`)
  const sink = await nodePlatform({ wrtc: undefined, downloadDir: dir }).createFileSink({
    from: 'peer',
    to: 'me',
    taskId: '7',
    name: 'f.bin',
    size,
    mime: '',
  })
  let release = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let finishing = false
  const held: TransferSink<ReceivedFile> = {
    write: (data) => sink.write(data),
    async finish(sha256) {
      finishing = true
      await released
      return sink.finish(sha256)
    },
    abort: () => sink.abort(),
  }
  return { dir, sink: held, release, finishing: () => finishing }
}

/** An incoming buffer transfer (or file, with `sink`) whose answers go to a stub channel, decoded. */
function receive<T = Uint8Array>(size: number, sink?: Promise<TransferSink<T>>) {
  const sent: Frame[] = []
  const channel: FrameChannel = {
    bufferedAmount: 0,
    send(bytes) {
      const decoded = decodeFrame(bytes)
      assert.ok(decoded.ok)
      sent.push(decoded.frame)
    },
  }
  const queue = new SendQueue()
  queue.attach(channel)
  const budget = new ByteBudget(64 * MiB)
  let outcome: { result: T; sha256: string } | { error: { code: string } } | undefined
  const transfer = new IncomingTransfer<T>({
    start: { type: 'start', taskId: 7, kind: sink ? 'file' : 'buffer', size, name: 'f.bin', mime: '' },
    link: { queue },
    hasher: nodePlatform({ wrtc: undefined }).createHasher(),
    sink: sink ?? (Promise.resolve(bufferSink(size, budget)) as Promise<TransferSink<never>>),
    idleTimeoutMs: 60_000,
    onProgress: () => {},
    onEnd: (end) => {
      outcome = end
    },
  })
  /** Resolves once every frame queued so far has reached the channel (an end-ack of task 0 goes after them). */
  const probe = () => new Promise<void>((resolve) => queue.sendControl(new Uint8Array([1, 6, 0, 0, 0, 0]), resolve))
  return { transfer, sent, budget, outcome: () => outcome, probe, close: () => queue.close() }
}

/** Resolves once `check` holds; fails the test if it never does. */
async function settled(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not within 10 s')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

test('a sender that goes on past a window without acks fails with window-exceeded, and nothing is kept', async () => {
  const size = 64 * MiB
  const r = receive(size)
  const chunk = new Uint8Array(DEFAULT_CHUNK_BYTES - 14)
  let offset = 0
  // All at once, in one turn: no write (and no ack) can happen in between.
  while (offset + chunk.length <= WINDOW_BYTES + DEFAULT_CHUNK_BYTES) {
    r.transfer.onChunk(offset, chunk)
    offset += chunk.length
  }
  assert.equal(r.outcome(), undefined, 'a window and a chunk without acks is within the rules')
  r.transfer.onChunk(offset, chunk)
  const ended = r.outcome()
  assert.ok(ended && 'error' in ended)
  assert.equal(ended.error.code, 'window-exceeded')
  await settled(() => r.sent.some((frame) => frame.type === 'error'))
  const error = r.sent.find((frame) => frame.type === 'error')
  assert.equal(error?.type === 'error' && error.code, 'window-exceeded')
  await settled(() => r.budget.taken === 0)
  r.close()
})

test('chunks that follow the acks arrive whole and verified, acked up to the size', async () => {
  const size = 3 * MiB + 5
  const data = new Uint8Array(size).map((_, i) => i % 251)
  const r = receive(size)
  const chunk = 200_000
  for (let offset = 0; offset < size; offset += chunk) r.transfer.onChunk(offset, data.subarray(offset, offset + chunk))
  r.transfer.onEnd(new Uint8Array(createHash('sha256').update(data).digest()))
  await settled(() => r.outcome() !== undefined)
  const outcome = r.outcome()
  assert.ok(outcome && 'result' in outcome)
  assert.deepEqual(outcome.result, data)
  await settled(() => r.sent.some((frame) => frame.type === 'end-ack'))
  const acks = r.sent.flatMap((frame) => (frame.type === 'ack' ? [frame.received] : []))
  assert.equal(acks.at(-1), size)
  assert.equal(r.budget.taken, 0)
  r.close()
})

for (const [what, offset, length, code] of [
  ['an empty chunk', 0, 0, 'protocol-error'],
  ['a chunk past the announced size', 0, 1001, 'protocol-error'],
  ['a chunk at a later offset', 10, 10, 'protocol-error'],
] as const) {
  test(`${what} fails the transfer with ${code}`, async () => {
    const r = receive(1000)
    r.transfer.onChunk(offset, new Uint8Array(length))
    const outcome = r.outcome()
    assert.ok(outcome && 'error' in outcome)
    assert.equal(outcome.error.code, code)
    await settled(() => r.sent.some((frame) => frame.type === 'error'))
    r.close()
  })
}

test('an end before every byte fails with protocol-error', async () => {
  const r = receive(1000)
  r.transfer.onChunk(0, new Uint8Array(500))
  r.transfer.onEnd(new Uint8Array(32))
  const outcome = r.outcome()
  assert.ok(outcome && 'error' in outcome)
  assert.equal(outcome.error.code, 'protocol-error')
  await settled(() => r.budget.taken === 0)
  r.close()
})

test('an end sent twice delivers the file once, confirmed once', async () => {
  const data = new Uint8Array(5000).fill(3)
  const file = await heldFileSink(data.length)
  const r = receive(data.length, Promise.resolve(file.sink))
  r.transfer.onChunk(0, data)
  r.transfer.onEnd(digestOf(data))
  r.transfer.onEnd(digestOf(data))
  await settled(file.finishing)
  r.transfer.onEnd(digestOf(data))
  file.release()
  await settled(() => r.outcome() !== undefined)
  assert.ok('result' in r.outcome()!)
  assert.deepEqual(await readdir(file.dir), ['f.bin'])
  await r.probe()
  const ours = r.sent.filter((frame) => frame.taskId === 7)
  assert.equal(ours.filter((frame) => frame.type === 'end-ack').length, 1)
  assert.equal(ours.filter((frame) => frame.type === 'error').length, 0)
  r.close()
})

test('a cancel before the file is completed drops it, and nothing is left', async () => {
  const data = new Uint8Array(5000).fill(4)
  const file = await heldFileSink(data.length)
  const r = receive(data.length, Promise.resolve(file.sink))
  r.transfer.onChunk(0, data)
  r.transfer.onEnd(digestOf(data))
  r.transfer.onPeerEnd('cancelled', 'changed my mind')
  file.release()
  const outcome = r.outcome()
  assert.ok(outcome && 'error' in outcome)
  assert.equal(outcome.error.code, 'cancelled')
  await eventually(async () => (await readdir(file.dir)).length === 0)
  r.close()
})

test('a cancel, an error or a chunk while the file is being completed comes too late: it is delivered, not left behind', async () => {
  const data = new Uint8Array(5000).fill(5)
  const file = await heldFileSink(data.length)
  const r = receive(data.length, Promise.resolve(file.sink))
  r.transfer.onChunk(0, data)
  r.transfer.onEnd(digestOf(data))
  await settled(file.finishing)
  r.transfer.onPeerEnd('cancelled', 'too late')
  r.transfer.onChunk(data.length, new Uint8Array(1))
  r.transfer.fail('idle-timeout', 'too late as well')
  r.transfer.cancel()
  file.release()
  await settled(() => r.outcome() !== undefined)
  const outcome = r.outcome()
  assert.ok(outcome && 'result' in outcome, 'delivered')
  assert.deepEqual(await readdir(file.dir), ['f.bin'])
  assert.equal(outcome.result.path, join(file.dir, 'f.bin'))
  r.close()
})

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('not within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
