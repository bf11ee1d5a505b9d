import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { MAX_RECIPIENTS } from '@ferry/protocol'
import { DEFAULT_ROOM_CAPS } from '../src/rooms/room-store.js'
import { assertNothingMore, deliveriesOf, startApiServer } from './api-helpers.js'

test('groups are created, listed, changed and deleted', async (t) => {
  const { api } = await startApiServer(t)
  assert.deepEqual(await api.createGroup('team:1', ['alice', 'bob']), { gid: 'team:1', members: ['alice', 'bob'] })
  await assert.rejects(api.createGroup('team:1'), { code: 'invalid-argument' })
  await assert.rejects(api.createGroup('bad gid'), { code: 'invalid-argument' })
  await assert.rejects(api.createGroup('g', ['not ok']), { code: 'invalid-argument' })
  assert.deepEqual(await api.addGroupMembers('team:1', ['carol']), {
    gid: 'team:1',
    members: ['alice', 'bob', 'carol'],
  })
  assert.deepEqual(await api.removeGroupMembers('team:1', ['bob']), { gid: 'team:1', members: ['alice', 'carol'] })
  assert.deepEqual(await api.getGroup('team:1'), { gid: 'team:1', members: ['alice', 'carol'] })
  await api.createGroup('empty')
  assert.deepEqual(await api.listGroups(), [
    { gid: 'empty', members: [] },
    { gid: 'team:1', members: ['alice', 'carol'] },
  ])
  const tooMany = Array.from({ length: MAX_RECIPIENTS }, (_, i) => `u${i}`)
  await assert.rejects(api.addGroupMembers('team:1', tooMany), { code: 'too-many-recipients' })
  assert.deepEqual((await api.getGroup('team:1')).members, ['alice', 'carol'], 'a refused change changes nothing')
  await api.deleteGroup('team:1')
  await assert.rejects(api.getGroup('team:1'), { code: 'unknown-target' })
  await assert.rejects(api.deleteGroup('team:1'), { code: 'unknown-target' })
  await assert.rejects(api.addGroupMembers('team:1', ['x']), { code: 'unknown-target' })
})

test('a group member who is offline gets the group message and file at the next login, flagged offline', async (t) => {
  const { api, online } = await startApiServer(t)
  const bob = await online('bob')
  await api.createGroup('team', ['alice', 'bob', 'carol'])
  const message = await api.sendGroupMessage('alice', 'team', 'while you were away', { mid: 'away-1' })
  const file = await api.sendGroupFile('alice', 'team', randomBytes(1234), { fileName: 'notes.txt' })
  await deliveriesOf(bob, 2)

  const carol = await online('carol')
  const [first, second] = await deliveriesOf(carol, 2)
  assert.deepEqual(first, {
    mid: 'away-1',
    mtime: message.mtime,
    from: 'alice',
    mtype: 30,
    attrs: '',
    target: { type: 'group', gid: 'team' },
    offline: true,
    message: { type: 'text', text: 'while you were away' },
  })
  assert.equal(second?.mid, file.mid)
  assert.equal(second?.offline, true)
  assert.equal(second?.message.type === 'file' && second.message.mediaId, file.mediaId)
  assert.equal(
    bob.deliveries.every((delivery) => !delivery.offline),
    true,
  )
  await assertNothingMore(api, carol)
  assert.equal(carol.deliveries.length, 2)
})

test('room and broadcast sends are not kept for users who are offline', async (t) => {
  const { server, api, online } = await startApiServer(t)
  await server.rooms.join('alice', 'lobby', DEFAULT_ROOM_CAPS)
  await server.rooms.join('dave', 'lobby', DEFAULT_ROOM_CAPS)
  await api.sendRoomMessage('alice', 'lobby', 'only who is here')
  await api.broadcastMessage('alice', 'only who is online')
  await api.sendMessage('alice', 'erin', 'kept for erin')
  const dave = await online('dave')
  const erin = await online('erin')
  await assertNothingMore(api, dave)
  assert.equal(dave.deliveries.length, 0)
  const [kept] = await deliveriesOf(erin, 1)
  assert.equal(kept?.offline, true)
})
