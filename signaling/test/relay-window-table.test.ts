import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Frame } from '@ferry/protocol'
import { type RelayWindowLimits, RelayWindows } from '../src/relay-window.js'

const LIMITS: RelayWindowLimits = { transferBytes: 100, userBytes: 250, transfers: 8, holdMs: 1000 }

/** Windows with LIMITS (or some of them changed) and a clock the test moves. */
function windowsWith(limits: Partial<RelayWindowLimits> = {}): { windows: RelayWindows; clock: { now: number } } {
  const clock = { now: 0 }
  return { windows: new RelayWindows({ ...LIMITS, ...limits }, () => clock.now), clock }
}

function chunk(taskId: number, offset: number, length = 10): Frame {
  return { type: 'chunk', taskId, offset, data: new Uint8Array(length) }
}

function verdicts(windows: RelayWindows, to: string, frames: Frame[]): string[] {
  return frames.map((frame) => {
    const verdict = windows.sent(to, frame)
    return verdict.ok ? (verdict.drop ? 'drop' : 'ok') : verdict.code
  })
}

const cancel = (taskId: number, origin: 'sender' | 'receiver'): Frame => ({ type: 'cancel', taskId, origin })
const ack = (taskId: number, received: number): Frame => ({ type: 'ack', taskId, received })

test('the window counts every byte forwarded, less what the receiver acked', () => {
  const { windows } = windowsWith()
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 50), chunk(1, 50, 50)]), ['ok', 'ok'])
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 100, 1)]), ['window-exceeded'])

  const acked = windowsWith().windows
  verdicts(acked, 'bob', [chunk(1, 0, 50), chunk(1, 50, 50)])
  acked.delivered('bob', ack(1, 40))
  assert.equal(acked.unackedBytes, 60)
  assert.deepEqual(verdicts(acked, 'bob', [chunk(1, 100, 40), chunk(1, 140, 1)]), ['ok', 'window-exceeded'])
})

test('chunks repeated at one offset, or going back, count every time', () => {
  const { windows } = windowsWith()
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 40), chunk(1, 0, 40), chunk(1, 0, 40)]), [
    'ok',
    'ok',
    'window-exceeded',
  ])
  const back = windowsWith().windows
  assert.deepEqual(verdicts(back, 'bob', [chunk(1, 0, 60), chunk(1, 10, 30), chunk(1, 5, 20)]), [
    'ok',
    'ok',
    'window-exceeded',
  ])
})

test('acks credit what they move past the last ack, never more than is unacknowledged', () => {
  const { windows } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0, 10)])
  windows.delivered('bob', ack(1, 1_000_000))
  assert.equal(windows.unackedBytes, 0)
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 10, 100), chunk(1, 110, 1)]), ['ok', 'window-exceeded'])

  // An ack that does not move past the last one credits nothing, however often it comes.
  const again = windowsWith().windows
  verdicts(again, 'bob', [chunk(1, 0, 100)])
  for (let i = 0; i < 5; i++) again.delivered('bob', ack(1, 50))
  assert.equal(again.unackedBytes, 50)
})

test('acks count only for the transfer, peer and direction they belong to', () => {
  const { windows } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0, 100)])
  windows.delivered('carol', ack(1, 100))
  windows.delivered('bob', ack(2, 100))
  // Acks the sender relays itself are about transfers it receives, not this one.
  verdicts(windows, 'bob', [ack(1, 100), { type: 'resume', taskId: 1, origin: 'receiver', offset: 100 }])
  verdicts(windows, 'bob', [{ type: 'end-ack', taskId: 1 }, cancel(1, 'receiver')])
  assert.equal(windows.unackedBytes, 100)
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 100, 1)]), ['window-exceeded'])
})

test('a receiver answering a resume re-bases the transfer at its offset; asking again gains nothing', () => {
  const { windows } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0, 50), chunk(1, 50, 50)])
  windows.delivered('bob', { type: 'resume', taskId: 1, origin: 'receiver', offset: 30 })
  // Bob has 30 bytes: the 70 beyond them are still on their way to him.
  assert.equal(windows.unackedBytes, 70)
  for (let i = 0; i < 3; i++) windows.delivered('bob', { type: 'resume', taskId: 1, origin: 'receiver', offset: 30 })
  assert.equal(windows.unackedBytes, 70)
  windows.delivered('bob', { type: 'resume', taskId: 1, origin: 'receiver', offset: 100 })
  assert.equal(windows.unackedBytes, 0)
  // Going on from there, acks count from the resume offset.
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 100, 60), chunk(1, 160, 40)]), ['ok', 'ok'])
  windows.delivered('bob', ack(1, 150))
  assert.equal(windows.unackedBytes, 50)
  // A resume the sender asks for moves nothing.
  verdicts(windows, 'bob', [{ type: 'resume', taskId: 1, origin: 'sender', offset: 200 }])
  assert.equal(windows.unackedBytes, 50)
})

test('a transfer first relayed mid-way counts acks from its first relayed chunk', () => {
  const { windows } = windowsWith()
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 5_000_000, 60), chunk(1, 5_000_060, 40)]), ['ok', 'ok'])
  // An ack of what arrived on the direct path credits nothing here.
  windows.delivered('bob', ack(1, 4_000_000))
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 5_000_100, 1)]), ['window-exceeded'])
  const credited = windowsWith().windows
  verdicts(credited, 'bob', [chunk(1, 5_000_000, 100)])
  credited.delivered('bob', ack(1, 5_000_060))
  assert.equal(credited.unackedBytes, 40)
})

test('all transfers of a user together stay within its total, each within its own window', () => {
  const { windows } = windowsWith()
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 100), chunk(2, 0, 100)]), ['ok', 'ok'])
  assert.deepEqual(verdicts(windows, 'carol', [chunk(1, 0, 50), chunk(2, 0, 1)]), ['ok', 'window-exceeded'])
  // Acks from one receiver make room for transfers to another.
  const { windows: shared } = windowsWith()
  verdicts(shared, 'bob', [chunk(1, 0, 100), chunk(2, 0, 100), chunk(3, 0, 50)])
  shared.delivered('bob', ack(2, 100))
  assert.deepEqual(verdicts(shared, 'carol', [chunk(1, 0, 100), chunk(1, 100, 1)]), ['ok', 'window-exceeded'])
})

test('a sender’s cancel or error keeps the charge until the receiver confirms; a chunk after it is a protocol error', () => {
  const { windows } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0, 100), cancel(1, 'sender')])
  assert.equal(windows.size, 1)
  assert.equal(windows.unackedBytes, 100)
  // Starting over under the same task id is not a fresh window.
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 10)]), ['protocol-error'])
  // Cancel, then another task: the cancelled one's bytes still count toward the total.
  assert.deepEqual(verdicts(windows, 'bob', [chunk(2, 0, 100), chunk(3, 0, 50), chunk(3, 50, 1)]), [
    'ok',
    'ok',
    'window-exceeded',
  ])
  windows.delivered('bob', cancel(1, 'receiver'))
  assert.equal(windows.size, 2)
  assert.equal(windows.unackedBytes, 151)

  const failed = windowsWith().windows
  verdicts(failed, 'bob', [
    chunk(1, 0, 30),
    { type: 'error', taskId: 1, origin: 'sender', code: 'file-read-error', message: '' },
    cancel(1, 'sender'),
  ])
  assert.equal(failed.unackedBytes, 30)
  // The receiver's error and its end-ack confirm as well as its cancel.
  failed.delivered('bob', { type: 'error', taskId: 1, origin: 'receiver', code: 'cancelled', message: '' })
  verdicts(failed, 'bob', [chunk(2, 0, 30), cancel(2, 'sender')])
  failed.delivered('bob', { type: 'end-ack', taskId: 2 })
  assert.equal(failed.size, 0)
  assert.equal(failed.unackedBytes, 0)
  // A sender's cancel of a transfer never relayed leaves nothing to hold.
  verdicts(failed, 'bob', [cancel(9, 'sender')])
  assert.equal(failed.size, 0)
})

test('a transfer without a chunk for the hold is over, closing or not', () => {
  const { windows, clock } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0, 100)])
  clock.now = 100
  verdicts(windows, 'bob', [chunk(2, 0, 50), cancel(1, 'sender')])
  clock.now = 500
  verdicts(windows, 'bob', [chunk(2, 50, 50)])
  clock.now = LIMITS.holdMs - 1
  assert.equal(windows.size, 2)
  clock.now = LIMITS.holdMs
  assert.equal(windows.size, 1, 'the cancelled one, relayed last at 0')
  assert.equal(windows.unackedBytes, 100)
  clock.now = 500 + LIMITS.holdMs - 1
  assert.equal(windows.size, 1, 'the running one, relayed last at 500')
  clock.now = 500 + LIMITS.holdMs
  assert.equal(windows.size, 0)
  assert.equal(windows.unackedBytes, 0)
  // Its task id is a transfer like any other again.
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 100)]), ['ok'])
})

test('chunks of a transfer its receiver ended are dropped, not counted, until the sender starts it again', () => {
  const { windows, clock } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0, 100)])
  windows.delivered('bob', { type: 'error', taskId: 1, origin: 'receiver', code: 'storage-full', message: '' })
  // The sender had relayed more before it heard: they go nowhere and cost nothing.
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 100, 100), chunk(1, 200, 100)]), ['drop', 'drop'])
  assert.equal(windows.size, 0)
  // Ended before its first relayed chunk (refused at its start frame): the same.
  windows.delivered('bob', cancel(2, 'receiver'))
  assert.deepEqual(verdicts(windows, 'bob', [chunk(2, 0, 100)]), ['drop'])
  // A start frame begins the task id again (a sender whose start was lost with a dead direct path).
  assert.deepEqual(
    verdicts(windows, 'bob', [
      { type: 'start', taskId: 2, kind: 'file', size: 300, name: 'again', mime: '' },
      chunk(2, 0, 100),
    ]),
    ['ok', 'ok'],
  )
  assert.equal(windows.unackedBytes, 100)
  // Ends are remembered for the hold, no longer.
  clock.now = LIMITS.holdMs
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 10)]), ['ok'])
  // Only so many are remembered: a receiver ending tasks it never had pushes out its own first.
  const { windows: many } = windowsWith()
  for (let taskId = 1000; taskId < 1000 + 4 * 64; taskId++) many.delivered('mallory', cancel(taskId, 'receiver'))
  many.delivered('bob', cancel(1, 'receiver'))
  assert.deepEqual(verdicts(many, 'bob', [chunk(1, 0, 10)]), ['drop'])
  assert.deepEqual(verdicts(many, 'mallory', [chunk(1000, 0, 10), chunk(1255, 0, 10)]), ['ok', 'drop'])
})

test('the receiver’s end-ack, cancel, error and going offline end transfers; others stay', () => {
  const { windows } = windowsWith()
  verdicts(windows, 'bob', [chunk(1, 0), chunk(2, 0), chunk(3, 0), chunk(4, 0), chunk(5, 0)])
  verdicts(windows, 'carol', [chunk(1, 0), chunk(2, 0)])
  assert.equal(windows.size, 7)
  windows.delivered('bob', { type: 'end-ack', taskId: 1 })
  windows.delivered('bob', cancel(2, 'receiver'))
  windows.delivered('bob', { type: 'error', taskId: 3, origin: 'receiver', code: 'storage-full', message: '' })
  assert.equal(windows.size, 4)
  // Frames about the transfers bob sends to this user change nothing here.
  windows.delivered('bob', cancel(5, 'sender'))
  verdicts(windows, 'bob', [{ type: 'error', taskId: 5, origin: 'receiver', code: 'cancelled', message: '' }])
  assert.equal(windows.size, 4)
  verdicts(windows, 'carol', [cancel(1, 'sender')])
  windows.forgetPeer('carol')
  assert.equal(windows.size, 2)
  assert.equal(windows.unackedBytes, 20)
  windows.forgetPeer('nobody')
  assert.equal(windows.size, 2)
})

test('a sender may track only so many transfers at once, closing ones included', () => {
  const { windows } = windowsWith({ transfers: 3 })
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0), chunk(2, 0), chunk(3, 0), chunk(3, 10), chunk(4, 0)]), [
    'ok',
    'ok',
    'ok',
    'ok',
    'too-many-tasks',
  ])
  windows.delivered('bob', { type: 'end-ack', taskId: 1 })
  assert.deepEqual(verdicts(windows, 'bob', [cancel(2, 'sender'), chunk(4, 0), chunk(5, 0)]), [
    'ok',
    'ok',
    'too-many-tasks',
  ])
  windows.delivered('bob', cancel(2, 'receiver'))
  assert.deepEqual(verdicts(windows, 'bob', [chunk(5, 0)]), ['ok'])
})

test('whatever a sender relays while its receivers never answer, it gets at most its total through', () => {
  // A seeded walk over what a hostile sender can do alone: chunks at any offset, cancels, errors,
  // acks and resumes of its own, for a handful of task ids and receivers.
  let seed = 7
  const random = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    return seed % n
  }
  for (let run = 0; run < 200; run++) {
    const { windows, clock } = windowsWith({ transfers: 64 })
    const forwarded = new Map<string, number>()
    let total = 0
    for (let step = 0; step < 400; step++) {
      const to = ['bob', 'carol'][random(2)] ?? 'bob'
      const taskId = random(6)
      clock.now += random(3)
      const pick = random(10)
      const frame: Frame =
        pick < 6
          ? chunk(taskId, random(3) * 40, 1 + random(60))
          : pick === 6
            ? cancel(taskId, random(2) === 0 ? 'sender' : 'receiver')
            : pick === 7
              ? ack(taskId, random(1000))
              : pick === 8
                ? { type: 'resume', taskId, origin: random(2) === 0 ? 'sender' : 'receiver', offset: random(500) }
                : { type: 'error', taskId, origin: 'sender', code: 'cancelled', message: '' }
      const verdict = windows.sent(to, frame)
      if (!verdict.ok) break
      if (frame.type !== 'chunk') continue
      const key = `${to}/${taskId}`
      forwarded.set(key, (forwarded.get(key) ?? 0) + frame.data.length)
      total += frame.data.length
      assert.ok((forwarded.get(key) ?? 0) <= LIMITS.transferBytes, `run ${run}: ${key} got ${forwarded.get(key)}`)
      assert.ok(total <= LIMITS.userBytes, `run ${run}: ${total} bytes through, total ${LIMITS.userBytes}`)
    }
  }
})
