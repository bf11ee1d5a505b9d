import assert from 'node:assert/strict'
import { test } from 'node:test'
import wrtc from '@roamhq/wrtc'
import { FerryClient, MAX_ATTRS_BYTES, MAX_MESSAGE_BYTES, MAX_ROOMS_PER_CLIENT } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { next, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {}, carol: {}, dave: {} })

test('joining, listing, sending and leaving through the client', async () => {
  assert.deepEqual(await t.alice.joinRoom('lobby'), { members: ['alice'] })
  const bobJoined = next(t.alice, 'room-member')
  assert.deepEqual(await t.bob.joinRoom('lobby'), { members: ['alice', 'bob'] })
  assert.deepEqual(await bobJoined, { room: 'lobby', userId: 'bob', joined: true, count: 2 })
  assert.deepEqual(await t.bob.roomMembers('lobby'), ['alice', 'bob'])

  const delivered = next(t.bob, 'message', (event) => event.delivery !== undefined)
  const receipt = await t.alice.sendRoomMessage('lobby', 'hello lobby', { attrs: '{"k":1}', mtype: 60, mid: 'hello-1' })
  assert.equal(receipt.mid, 'hello-1')
  const event = await delivered
  assert.deepEqual(event.message, { type: 'text', text: 'hello lobby' })
  assert.deepEqual(event.delivery, {
    mid: 'hello-1',
    mtime: receipt.mtime,
    from: 'alice',
    mtype: 60,
    attrs: '{"k":1}',
    target: { type: 'room', rid: 'lobby' },
    offline: false,
  })

  const bobLeft = next(t.alice, 'room-member')
  await t.bob.leaveRoom('lobby')
  assert.deepEqual(await bobLeft, { room: 'lobby', userId: 'bob', joined: false, count: 1 })
  await assert.rejects(t.bob.roomMembers('lobby'), { code: 'not-a-member' })
})

test('a non-member is refused with not-a-member', async () => {
  await t.alice.joinRoom('private')
  await assert.rejects(t.carol.roomMembers('private'), { code: 'not-a-member', name: 'FerryError' })
  await assert.rejects(t.carol.sendRoomMessage('private', 'let me in'), { code: 'not-a-member' })
})

test('bad arguments are refused before anything is sent', async () => {
  await t.carol.joinRoom('checks')
  await assert.rejects(t.carol.joinRoom('a b'), { code: 'invalid-argument' })
  await assert.rejects(t.carol.sendRoomMessage('checks', 'hi', { mtype: 40 }), { code: 'invalid-mtype' })
  await assert.rejects(t.carol.sendRoomMessage('checks', 'hi', { mtype: 200 }), { code: 'invalid-mtype' })
  await assert.rejects(t.carol.sendRoomMessage('checks', 'hi', { attrs: 'x'.repeat(MAX_ATTRS_BYTES + 1) }), {
    code: 'invalid-argument',
  })
  await assert.rejects(t.carol.sendRoomMessage('checks', 'hi', { mid: 'no spaces please' }), {
    code: 'invalid-argument',
  })
  await assert.rejects(t.carol.sendRoomMessage('checks', 'x'.repeat(MAX_MESSAGE_BYTES + 1)), {
    code: 'message-too-large',
  })
  await assert.rejects(t.carol.sendRoomMessage('checks', { type: 'file' } as never), { code: 'invalid-argument' })

  const offline = new FerryClient({ url: t.h.server.url, userId: 'nobody', platform: nodePlatform({ wrtc }) })
  await assert.rejects(offline.joinRoom('checks'), { code: 'not-logged-in' })
  await assert.rejects(offline.sendRoomMessage('checks', 'hi'), { code: 'not-logged-in' })
})

test('one room more than MAX_ROOMS_PER_CLIENT is refused with too-many-recipients', async () => {
  for (let i = 1; i <= MAX_ROOMS_PER_CLIENT; i++) await t.dave.joinRoom(`many-${i}`)
  await assert.rejects(t.dave.joinRoom('one-too-many'), { code: 'too-many-recipients' })
})

test('after a dropped connection, the client joins its rooms again', async () => {
  await t.bob.joinRoom('sticky')
  await t.carol.joinRoom('sticky')
  const left = next(t.bob, 'room-member', (event) => event.room === 'sticky' && !event.joined)
  const back = next(t.bob, 'room-member', (event) => event.room === 'sticky' && event.joined)
  // Cut the transport as a network drop would; Socket.IO reconnects by itself.
  ;(t.carol as unknown as { socket: { io: { engine: { close(): void } } } }).socket.io.engine.close()
  assert.deepEqual(await left, { room: 'sticky', userId: 'carol', joined: false, count: 1 })
  assert.deepEqual(await back, { room: 'sticky', userId: 'carol', joined: true, count: 2 })
  assert.deepEqual((await t.carol.roomMembers('sticky')).sort(), ['bob', 'carol'])
})
