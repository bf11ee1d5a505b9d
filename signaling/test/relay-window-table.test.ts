import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Frame } from '@ferry/protocol'
import { RelayWindows } from '../src/relay-window.js'

const LIMIT = 100

function chunk(taskId: number, offset: number, length = 10): Frame {
  return { type: 'chunk', taskId, offset, data: new Uint8Array(length) }
}

function verdicts(windows: RelayWindows, to: string, frames: Frame[]): string[] {
  return frames.map((frame) => {
    const verdict = windows.sent(to, frame)
    return verdict.ok ? 'ok' : verdict.code
  })
}

test('the window counts from the last ack to the end of the latest chunk', () => {
  const windows = new RelayWindows(LIMIT, 8)
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0, 50), chunk(1, 50, 50)]), ['ok', 'ok'])
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 100, 1)]), ['window-exceeded'])

  const acked = new RelayWindows(LIMIT, 8)
  verdicts(acked, 'bob', [chunk(1, 0, 50), chunk(1, 50, 50)])
  acked.delivered('bob', { type: 'ack', taskId: 1, received: 40 })
  assert.deepEqual(verdicts(acked, 'bob', [chunk(1, 100, 40), chunk(1, 140, 1)]), ['ok', 'window-exceeded'])
})

test('acks count only for the transfer, peer and direction they belong to', () => {
  const windows = new RelayWindows(LIMIT, 8)
  verdicts(windows, 'bob', [chunk(1, 0, 100)])
  windows.delivered('carol', { type: 'ack', taskId: 1, received: 100 })
  windows.delivered('bob', { type: 'ack', taskId: 2, received: 100 })
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 100, 1)]), ['window-exceeded'])
})

test('an ack cannot grant room beyond the bytes sent', () => {
  const windows = new RelayWindows(LIMIT, 8)
  verdicts(windows, 'bob', [chunk(1, 0, 10)])
  windows.delivered('bob', { type: 'ack', taskId: 1, received: 1_000_000 })
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 10, 100), chunk(1, 110, 1)]), ['ok', 'window-exceeded'])
})

test('after a resume the sender goes back to the receiver’s offset without breaking the window', () => {
  const windows = new RelayWindows(LIMIT, 8)
  verdicts(windows, 'bob', [chunk(1, 0, 50), chunk(1, 50, 50)])
  windows.delivered('bob', { type: 'resume', taskId: 1, origin: 'receiver', offset: 30 })
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 30, 50), chunk(1, 80, 50), chunk(1, 130, 1)]), [
    'ok',
    'ok',
    'window-exceeded',
  ])
  // A resume the sender asks for moves nothing.
  const asked = new RelayWindows(LIMIT, 8)
  verdicts(asked, 'bob', [chunk(1, 0, 100)])
  asked.delivered('bob', { type: 'resume', taskId: 1, origin: 'sender', offset: 100 })
  assert.deepEqual(verdicts(asked, 'bob', [chunk(1, 100, 1)]), ['window-exceeded'])
})

test('a transfer first relayed mid-way counts as acked up to its first relayed chunk', () => {
  const windows = new RelayWindows(LIMIT, 8)
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 5_000_000, 60), chunk(1, 5_000_060, 40)]), ['ok', 'ok'])
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 5_000_100, 1)]), ['window-exceeded'])
})

test('end-ack, cancel, error and the receiver going offline forget transfers; others stay', () => {
  const windows = new RelayWindows(LIMIT, 8)
  verdicts(windows, 'bob', [chunk(1, 0), chunk(2, 0), chunk(3, 0), chunk(4, 0), chunk(5, 0)])
  verdicts(windows, 'carol', [chunk(1, 0), chunk(2, 0)])
  assert.equal(windows.size, 7)
  windows.delivered('bob', { type: 'end-ack', taskId: 1 })
  windows.delivered('bob', { type: 'cancel', taskId: 2, origin: 'receiver' })
  windows.delivered('bob', { type: 'error', taskId: 3, origin: 'receiver', code: 'storage-full', message: '' })
  verdicts(windows, 'bob', [{ type: 'cancel', taskId: 4, origin: 'sender' }])
  assert.equal(windows.size, 3)
  // Frames about the transfers bob sends to this user change nothing here.
  windows.delivered('bob', { type: 'cancel', taskId: 5, origin: 'sender' })
  verdicts(windows, 'bob', [{ type: 'error', taskId: 5, origin: 'receiver', code: 'cancelled', message: '' }])
  assert.equal(windows.size, 3)
  windows.forgetPeer('carol')
  assert.equal(windows.size, 1)
  windows.forgetPeer('nobody')
  assert.equal(windows.size, 1)
})

test('a sender may track only so many transfers at once', () => {
  const windows = new RelayWindows(LIMIT, 3)
  assert.deepEqual(verdicts(windows, 'bob', [chunk(1, 0), chunk(2, 0), chunk(3, 0), chunk(3, 10), chunk(4, 0)]), [
    'ok',
    'ok',
    'ok',
    'ok',
    'too-many-tasks',
  ])
  windows.delivered('bob', { type: 'end-ack', taskId: 1 })
  assert.deepEqual(verdicts(windows, 'bob', [chunk(4, 0)]), ['ok'])
})
