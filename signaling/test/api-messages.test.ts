import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Delivery, MAX_ATTRS_BYTES, MAX_MESSAGE_BYTES, MAX_RECIPIENTS, MTYPE } from '@ferry/protocol'
import { DEFAULT_ROOM_CAPS } from '../src/rooms/room-store.js'
import { assertNothingMore, deliveriesOf, type Recipient, startApiServer, startRecipientsScene } from './api-helpers.js'

test('each message command reaches exactly its recipients, with mtype, mid, mtime and attrs as sent', async (t) => {
  const { api, bob, carol, dave, everyone } = await startRecipientsScene(t)

  /** Each of `receivers` got exactly one delivery, this one; everyone else got nothing. */
  const expectOnly = async (receivers: Recipient[], expected: Omit<Delivery, 'offline' | 'from'>): Promise<void> => {
    for (const receiver of receivers) {
      assert.deepEqual((await deliveriesOf(receiver, 1))[0], { ...expected, from: 'alice', offline: false })
    }
    await assertNothingMore(api, ...everyone)
    for (const recipient of everyone) {
      assert.equal(recipient.deliveries.length, receivers.includes(recipient) ? 1 : 0)
      recipient.deliveries.length = 0
    }
  }
  const text = (value: string) => ({ type: 'text' as const, text: value })

  const one = await api.sendMessage('alice', 'bob', 'to bob', { mtype: 51, mid: 'm-one', attrs: '{"k":1}' })
  assert.equal(one.mid, 'm-one')
  await expectOnly([bob], { ...one, mtype: 51, attrs: '{"k":1}', target: { type: 'user' }, message: text('to bob') })

  const many = await api.sendMessages('alice', ['bob', 'carol'], 'to both')
  await expectOnly([bob, carol], {
    ...many,
    mtype: MTYPE.text,
    attrs: '',
    target: { type: 'users' },
    message: text('to both'),
  })

  const group = await api.sendGroupMessage('alice', 'team', 'to the team', { mid: 'm-group', mtype: 127 })
  await expectOnly([bob, carol], {
    ...group,
    mtype: 127,
    attrs: '',
    target: { type: 'group', gid: 'team' },
    message: text('to the team'),
  })

  const room = await api.sendRoomMessage('alice', 'lobby', 'to the room', { attrs: 'r' })
  await expectOnly([dave], {
    ...room,
    mtype: MTYPE.text,
    attrs: 'r',
    target: { type: 'room', rid: 'lobby' },
    message: text('to the room'),
  })

  const all = await api.broadcastMessage('alice', 'to everyone')
  await expectOnly(everyone, {
    ...all,
    mtype: MTYPE.text,
    attrs: '',
    target: { type: 'broadcast' },
    message: text('to everyone'),
  })
})

test('a resend with the same mid answers the first receipt and is delivered once', async (t) => {
  const { api, online } = await startApiServer(t)
  const bob = await online('bob')
  const first = await api.sendMessage('alice', 'bob', 'once', { mid: 'dup-1' })
  const again = await api.sendMessage('alice', 'bob', 'once', { mid: 'dup-1' })
  assert.deepEqual(again, first)
  await deliveriesOf(bob, 1)
  await assertNothingMore(api, bob)
  assert.equal(bob.deliveries.length, 1)
})

test('bad message sends are refused with their codes, and deliver nothing', async (t) => {
  const { server, api, online } = await startApiServer(t)
  const bob = await online('bob')
  await api.createGroup('solo', ['alice'])
  await api.createGroup('others', ['bob', 'carol'])
  await server.rooms.join('bob', 'lobby', DEFAULT_ROOM_CAPS)

  await assert.rejects(api.sendMessage('alice', 'bob', 'x', { mtype: MTYPE.file }), { code: 'invalid-mtype' })
  await assert.rejects(api.sendMessage('alice', 'bob', 'x', { mtype: 128 }), { code: 'invalid-mtype' })
  await assert.rejects(api.sendMessage('alice', 'alice', 'x'), { code: 'invalid-target' })
  await assert.rejects(api.sendMessage('alice', 'not a user', 'x'), { code: 'invalid-argument' })
  await assert.rejects(api.sendMessage('alice', 'bob', 'x', { mid: 'bad mid' }), { code: 'invalid-argument' })
  await assert.rejects(api.sendMessage('alice', 'bob', 'x'.repeat(MAX_MESSAGE_BYTES + 1)), {
    code: 'message-too-large',
  })
  await assert.rejects(api.sendMessage('alice', 'bob', 'x', { attrs: 'a'.repeat(MAX_ATTRS_BYTES + 1) }), {
    code: 'message-too-large',
  })
  const tooMany = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `user-${i}`)
  await assert.rejects(api.sendMessages('alice', tooMany, 'x'), { code: 'too-many-recipients' })
  await assert.rejects(api.sendGroupMessage('alice', 'nope', 'x'), { code: 'unknown-target' })
  await assert.rejects(api.sendGroupMessage('alice', 'solo', 'x'), { code: 'empty-group' })
  await assert.rejects(api.sendGroupMessage('alice', 'others', 'x'), { code: 'not-a-member' })
  await assert.rejects(api.sendRoomMessage('alice', 'lobby', 'x'), { code: 'not-a-member' })
  await assertNothingMore(api, bob)
  assert.equal(bob.deliveries.length, 0)
})

test('sends past a user’s budget are refused with rate-limited; other users still send', async (t) => {
  const { api, online } = await startApiServer(t, { serverApi: { sendsPerSecond: 1, sendBurst: 3 } })
  const bob = await online('bob')
  for (let i = 0; i < 3; i++) await api.sendMessage('alice', 'bob', `n${i}`)
  await assert.rejects(api.sendMessage('alice', 'bob', 'one too many'), { code: 'rate-limited' })
  await api.sendMessage('carol', 'bob', 'carol has her own budget')
  assert.equal((await deliveriesOf(bob, 4)).at(-1)?.from, 'carol')
})
