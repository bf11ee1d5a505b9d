import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { FerryServerApi } from '@ferry/server-sdk'
import wrtc from '@roamhq/wrtc'
import { FerryClient, MTYPE } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { collect, next, randomFile, sha256, useClients } from './helpers.js'

const ADMIN_KEY = 'admin-key-of-the-client-api-tests-0123'
const t = useClients({ bob: {}, bystander: {} }, { adminKey: ADMIN_KEY })

function serverApi(): FerryServerApi {
  return new FerryServerApi({ url: t.h.server.url, adminKey: ADMIN_KEY })
}

test('a file sent by the server API arrives as a message from the user, and downloads as the same bytes', async () => {
  const api = serverApi()
  const { path, sha256: digest } = await randomFile(t.h.dir, 'api-file.bin', 3 * 1024 * 1024 + 5)
  const seen = collect(t.bystander, 'message')
  const arrived = next(t.bob, 'message', (event) => event.from === 'alice')
  const sent = await api.sendFile('alice', 'bob', path, { mtype: 60, attrs: '{"order":7}', mid: 'client-1' })
  const { message, delivery } = await arrived
  assert.deepEqual(delivery, {
    mid: 'client-1',
    mtime: sent.mtime,
    from: 'alice',
    mtype: 60,
    attrs: '{"order":7}',
    target: { type: 'user' },
    offline: false,
  })
  assert.equal(message.type, 'file')
  assert.equal(message.type === 'file' && message.mediaId, sent.mediaId)
  assert.equal(message.type === 'file' && message.sha256, digest)

  const download = await t.bob.downloadMedia(sent.mediaId).done
  assert.equal(download.source, 'server')
  assert.equal(sha256(download.data!), digest)

  // The bystander got nothing: a message to it sent after the file arrives alone.
  const marker = next(t.bystander, 'message')
  await api.sendMessage('marker', 'bystander', 'marker')
  assert.equal((await marker).from, 'marker')
  assert.deepEqual(
    seen.map((event) => event.from),
    ['marker'],
  )
})

test('a group member who was offline gets the group file at login, flagged offline, and downloads it', async () => {
  const api = serverApi()
  await api.createGroup('crew', ['alice', 'bob', 'carol'])
  const bytes = new Uint8Array(randomBytes(200_000))
  const toBob = next(t.bob, 'message', (event) => event.delivery?.target.type === 'group')
  const sent = await api.sendGroupFile('alice', 'crew', bytes, { fileName: 'plan.bin' })
  assert.equal((await toBob).delivery?.mid, sent.mid)

  const carol = new FerryClient({
    url: t.h.server.url,
    userId: 'carol',
    platform: nodePlatform({ wrtc, downloadDir: join(t.h.dir, 'carol'), mediaDir: join(t.h.dir, 'carol-media') }),
  })
  try {
    const kept = next(carol, 'message')
    await carol.connect()
    const { message, delivery } = await kept
    assert.deepEqual(delivery, {
      mid: sent.mid,
      mtime: sent.mtime,
      from: 'alice',
      mtype: MTYPE.file,
      attrs: '',
      target: { type: 'group', gid: 'crew' },
      offline: true,
    })
    assert.equal(message.type === 'file' && message.fileName, 'plan.bin')
    const download = await carol.downloadMedia(sent.mediaId).done
    assert.deepEqual(download.data, bytes)
  } finally {
    await carol.close()
  }
})
