import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HIGH_WATER_BYTES } from '@ferry/protocol'
import { type FrameChannel, MAX_CONTROL_BYTES, MAX_CONTROL_FRAMES, SendQueue } from '../src/send-queue.js'

/** A data channel that records what it is given; `bufferedAmount` is whatever the test sets. */
function stubChannel(): FrameChannel & { sent: Uint8Array[]; bufferedAmount: number } {
  return {
    sent: [],
    bufferedAmount: 0,
    send(frame) {
      this.sent.push(frame)
    },
  }
}

/** A control frame of `bytes` whose first two bytes number it. */
function frame(n: number, bytes = 16): Uint8Array {
  const out = new Uint8Array(bytes)
  out[0] = n >> 8
  out[1] = n & 0xff
  return out
}

function numbers(frames: Uint8Array[]): number[] {
  return frames.map((f) => (f[0]! << 8) | f[1]!)
}

/** Resolves once `check` holds, looking after each turn of the event loop; fails the test if it never does. */
async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not within 10 s')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

test('control frames go out in order once a channel is there, each onSent after its frame', async () => {
  const queue = new SendQueue()
  const channel = stubChannel()
  const sentBefore: number[] = []
  for (let n = 0; n < 5; n++) queue.sendControl(frame(n), () => sentBefore.push(channel.sent.length))
  assert.equal(queue.offerControl(frame(5)), true)
  queue.attach(channel)
  await eventually(() => channel.sent.length === 6)
  assert.deepEqual(numbers(channel.sent), [0, 1, 2, 3, 4, 5])
  assert.deepEqual(sentBefore, [1, 2, 3, 4, 5])
  queue.close()
})

test("the app's requests fill half the queue by count; what the client owes the peer still fits", async () => {
  const overflows: string[] = []
  const queue = new SendQueue({ onOverflow: (reason) => overflows.push(reason) })
  let accepted = 0
  while (queue.offerControl(frame(accepted))) accepted++
  assert.equal(accepted, MAX_CONTROL_FRAMES / 2)
  assert.equal(queue.hasRoomForRequest(16), false)
  for (let n = accepted; n < MAX_CONTROL_FRAMES; n++) queue.sendControl(frame(n))
  await eventually(() => true)
  assert.deepEqual(overflows, [], 'a full share of requests leaves the answers their room')
  const channel = stubChannel()
  queue.attach(channel)
  await eventually(() => channel.sent.length === MAX_CONTROL_FRAMES)
  assert.deepEqual(
    numbers(channel.sent),
    Array.from({ length: MAX_CONTROL_FRAMES }, (_, n) => n),
  )
  assert.equal(queue.offerControl(frame(0)), true, 'sent frames make room again')
  queue.close()
})

test("the app's requests fill half the queue by bytes", () => {
  const queue = new SendQueue()
  const cmdBytes = 64 * 1024 + 7 // a full-size cmd frame
  let accepted = 0
  while (queue.offerControl(new Uint8Array(cmdBytes))) accepted++
  assert.equal(accepted, Math.floor(MAX_CONTROL_BYTES / 2 / cmdBytes))
  assert.equal(queue.offerControl(new Uint8Array(1)), true, 'a small one still fits')
  assert.equal(queue.offerControl(new Uint8Array(cmdBytes)), false)
  queue.close()
})

test('a frame owed to the peer that finds the queue full closes it, reported once, and nothing more goes out', async () => {
  const overflows: string[] = []
  const queue = new SendQueue({ onOverflow: (reason) => overflows.push(reason) })
  for (let n = 0; n < MAX_CONTROL_FRAMES; n++) queue.sendControl(frame(n))
  queue.sendControl(frame(MAX_CONTROL_FRAMES))
  assert.deepEqual(overflows, [], 'reported after the current task, not in the middle of it')
  queue.sendControl(frame(0))
  assert.equal(queue.offerControl(frame(0)), false)
  await eventually(() => overflows.length > 0)
  assert.equal(overflows.length, 1)
  assert.match(overflows[0]!, /4096 control frames/)
  const channel = stubChannel()
  queue.attach(channel)
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.deepEqual(channel.sent, [], 'a closed queue sends nothing')
})

test('control frames wait while the channel buffers four high-water marks, then go', async () => {
  const queue = new SendQueue()
  const channel = stubChannel()
  channel.bufferedAmount = HIGH_WATER_BYTES * 4
  queue.attach(channel)
  queue.sendControl(frame(1))
  await new Promise((resolve) => setTimeout(resolve, 20))
  assert.equal(channel.sent.length, 0)
  channel.bufferedAmount = 0
  await eventually(() => channel.sent.length === 1)
  queue.close()
})
