import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Ack, type DeliveryMeta, type DeliveryRef, encodeMessage, MAX_ACKS_PER_EVENT } from '@ferry/protocol'
import { MAX_WAITING_DELIVERIES, ServerDeliveries } from '../src/deliveries/server-deliveries.js'
import type { FerryEvents } from '../src/types.js'

/** A ServerDeliveries whose app and socket are recorded: what the app got, errors, and each ack sent. */
function recorded(answer: (batch: DeliveryRef[]) => Ack = () => ({ ok: true })) {
  const app = { listening: false, got: [] as FerryEvents['message'][], errors: [] as string[] }
  const acks: DeliveryRef[][] = []
  const deliveries = new ServerDeliveries({
    listening: () => app.listening,
    emit: (event) => app.got.push(event),
    emitError: (code) => app.errors.push(code),
    sendAck: (batch, onAnswer) => {
      acks.push(batch)
      onAnswer(answer(batch))
    },
  })
  return { app, acks, deliveries }
}

function meta(mid: string, from = 'alice'): DeliveryMeta {
  return { mid, mtime: 1, from, mtype: 30, attrs: '', target: { type: 'user' }, offline: true }
}

const TEXT = encodeMessage({ type: 'text', text: 'hi' })

test('deliveries wait for a listener, reach it in order, and are acknowledged only then', () => {
  const { app, acks, deliveries } = recorded()
  for (const mid of ['m1', 'm2', 'm3']) deliveries.onDelivery(meta(mid), TEXT)
  assert.equal(app.got.length, 0)
  app.listening = true
  deliveries.drain()
  assert.deepEqual(
    app.got.map((event) => event.taskId),
    ['m1', 'm2', 'm3'],
  )
  assert.deepEqual(acks, [], 'a trickle waits for its batch')
  deliveries.close()
  assert.deepEqual(acks, [['m1', 'm2', 'm3'].map((mid) => ({ from: 'alice', mid }))])
})

test('past MAX_WAITING_DELIVERIES a delivery is left unacknowledged, to come again at the next login', () => {
  const { app, acks, deliveries } = recorded()
  for (let i = 0; i <= MAX_WAITING_DELIVERIES; i++) deliveries.onDelivery(meta(`m${i}`), TEXT)
  app.listening = true
  deliveries.drain()
  deliveries.close()
  assert.equal(app.got.length, MAX_WAITING_DELIVERIES)
  const acked = acks.flat().map((ref) => ref.mid)
  assert.equal(acked.length, MAX_WAITING_DELIVERIES)
  assert.ok(!acked.includes(`m${MAX_WAITING_DELIVERIES}`))
  assert.ok(acks.every((batch) => batch.length <= MAX_ACKS_PER_EVENT))
})

test('a copy of a delivery the app got is dropped and acknowledged again; one from another sender is not a copy', () => {
  const { app, acks, deliveries } = recorded()
  app.listening = true
  for (let i = 0; i < MAX_ACKS_PER_EVENT; i++) deliveries.onDelivery(meta(`m${i}`), TEXT)
  assert.equal(acks.length, 1, 'a full batch goes at once')
  deliveries.onDelivery(meta('m0'), TEXT)
  deliveries.onDelivery(meta('m0', 'bob'), TEXT)
  deliveries.close()
  assert.equal(app.got.length, MAX_ACKS_PER_EVENT + 1)
  assert.equal(app.got.at(-1)?.from, 'bob')
  assert.deepEqual(acks[1], [
    { from: 'alice', mid: 'm0' },
    { from: 'bob', mid: 'm0' },
  ])
})

test('an ack refused with rate-limited goes again', () => {
  let refusals = 1
  const { app, acks, deliveries } = recorded(() =>
    refusals-- > 0 ? { ok: false, code: 'rate-limited', message: 'slow down' } : { ok: true },
  )
  app.listening = true
  for (let i = 0; i < MAX_ACKS_PER_EVENT; i++) deliveries.onDelivery(meta(`m${i}`), TEXT)
  assert.equal(acks.length, 1)
  deliveries.close()
  assert.equal(acks.length, 2)
  assert.deepEqual(acks[1], acks[0])
})

test('a delivered message that does not decode is reported once and acknowledged, never handed to the app', () => {
  const { app, acks, deliveries } = recorded()
  app.listening = true
  const garbage = new Uint8Array([0, 0, 0, 9, 1])
  deliveries.onDelivery(meta('bad'), garbage)
  deliveries.onDelivery(meta('bad'), garbage)
  assert.equal(app.errors.length, 1)
  assert.equal(app.got.length, 0)
  deliveries.close()
  assert.deepEqual(acks, [[{ from: 'alice', mid: 'bad' }]])
})
