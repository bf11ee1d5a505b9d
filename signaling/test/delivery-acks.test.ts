import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Delivery, DeliveryRef } from '@ferry/protocol'
import { assertNothingMore, deliveriesOf, type Recipient, startApiServer } from './api-helpers.js'
import { request } from './harness.js'
import { join, send } from './rooms-support.js'

/** Acknowledges `deliveries` as `recipient`'s client and resolves with the server's answer. */
function ack(recipient: Recipient, deliveries: DeliveryRef[]) {
  return request(recipient.socket, 'message:ack', { deliveries })
}

function refOf({ from, mid }: Delivery): DeliveryRef {
  return { from, mid }
}

test('a kept message stays until acknowledged: a client that drops before acking gets it again at each login', async (t) => {
  const { server, api, online } = await startApiServer(t)
  const sent = await api.sendMessage('alice', 'bob', 'while you were away', { mid: 'away-1' })
  assert.equal(await server.deliveries.keptFor('bob'), 1)

  const first = await online('bob')
  const [kept] = await deliveriesOf(first, 1)
  assert.equal(kept?.mid, sent.mid)
  assert.equal(kept?.offline, true)
  first.socket.close()
  assert.equal(await server.deliveries.keptFor('bob'), 1, 'handing it over deletes nothing')

  const second = await online('bob')
  const [again] = await deliveriesOf(second, 1)
  assert.deepEqual(again, kept, 'the same delivery, again')
  assert.deepEqual(await ack(second, [refOf(again!)]), { ok: true })
  assert.equal(await server.deliveries.keptFor('bob'), 0)
  second.socket.close()

  const third = await online('bob')
  await assertNothingMore(api, third)
  assert.equal(third.deliveries.length, 0, 'an acknowledged delivery never comes again')
})

test('a live delivery to an online user whose connection drops before the ack comes again at the next login', async (t) => {
  const { server, api, online } = await startApiServer(t)
  const bob = await online('bob')
  const direct = await api.sendMessage('alice', 'bob', 'in flight')
  const [live] = await deliveriesOf(bob, 1)
  assert.equal(live?.offline, false)
  assert.equal(await server.deliveries.keptFor('bob'), 1, 'kept until acked, though bob was online')
  bob.socket.close()

  const back = await online('bob')
  const [again] = await deliveriesOf(back, 1)
  assert.deepEqual(again, { ...live, offline: true }, 'the same delivery, handed over at login')
  assert.equal(again?.mid, direct.mid)
  assert.deepEqual(await ack(back, [refOf(again!)]), { ok: true })
  assert.equal(await server.deliveries.keptFor('bob'), 0)
})

test('a room message in flight when a member drops comes again at its next login, though rooms keep nothing for offline users', async (t) => {
  const { server, online } = await startApiServer(t)
  const alice = await online('alice')
  const bob = await online('bob')
  for (const member of [alice, bob]) assert.equal((await join(member.socket, 'lobby')).ok, true)
  const receipt = await send(alice.socket, { room: 'lobby', mid: 'room-1' }, { type: 'text', text: 'hello room' })
  assert.ok(receipt.ok)
  const [live] = await deliveriesOf(bob, 1)
  assert.deepEqual(live?.target, { type: 'room', rid: 'lobby' })
  bob.socket.close()

  const back = await online('bob')
  const [again] = await deliveriesOf(back, 1)
  assert.deepEqual(again, { ...live, offline: true })
  assert.deepEqual(await ack(back, [refOf(again!)]), { ok: true })
  assert.equal(await server.deliveries.keptFor('bob'), 0)
})

test("acks for someone else's deliveries, or for none, change nothing", async (t) => {
  const { server, api, online } = await startApiServer(t)
  // One (from, mid) kept for two users: each user's entry is theirs alone.
  await api.sendMessages('alice', ['bob', 'carol'], 'to both', { mid: 'shared' })
  const mallory = await online('mallory')
  const shared = { from: 'alice', mid: 'shared' }
  assert.deepEqual(await ack(mallory, [shared, { from: 'nobody', mid: 'unknown' }]), { ok: true })
  assert.deepEqual(await ack(mallory, []), { ok: true })
  assert.equal(await server.deliveries.keptFor('bob'), 1)
  assert.equal(await server.deliveries.keptFor('carol'), 1)

  const bob = await online('bob')
  await deliveriesOf(bob, 1)
  assert.deepEqual(
    await ack(bob, [
      { from: 'alice', mid: 'other' },
      { from: 'carol', mid: 'shared' },
    ]),
    { ok: true },
  )
  assert.equal(await server.deliveries.keptFor('bob'), 1, 'an ack names its delivery by sender and mid both')
  assert.deepEqual(await ack(bob, [shared, shared]), { ok: true })
  assert.equal(await server.deliveries.keptFor('bob'), 0)
  assert.equal(await server.deliveries.keptFor('carol'), 1, "bob's ack leaves carol's copy")

  const carol = await online('carol')
  const [kept] = await deliveriesOf(carol, 1)
  assert.equal(kept?.mid, 'shared')
  await assertNothingMore(api, carol)
})
