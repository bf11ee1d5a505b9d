import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { type Delivery, decodeMessage, type SendReceipt } from '@ferry/protocol'
import { FerryServerApi, uploadWithToken } from '@ferry/server-sdk'
import { type CliProcess, startCli } from '../cli-process.js'
import { type Client, EVENT_TIMEOUT_MS, login, openClient } from '../harness.js'
import { stateDir } from './state-dir.js'

const ADMIN_KEY = 'admin-key-of-the-kill-restart-test-0123456789'

/** API sends acknowledged before the kill: enough that the kill lands among writes, not before them. */
const SENDS_BEFORE_KILL = 20

/** The CLI on `dir`'s state database and media store, with the server API on. */
function startOn(t: { after(fn: () => void): void }, dir: string): Promise<CliProcess> {
  return startCli(t, ['--state-dir', join(dir, 'state'), '--media-dir', join(dir, 'media'), '--admin-key', ADMIN_KEY])
}

test('kill -9 of the CLI server amid API sends, then a restart on the same state: nothing acknowledged is lost', async (t) => {
  const dir = await stateDir(t)
  const first = await startOn(t, dir)
  const api = new FerryServerApi({ url: first.url, adminKey: ADMIN_KEY })
  await api.createGroup('team', ['alice', 'bob', 'carol'])
  await api.createGroup('other', ['dave'])
  await api.addGroupMembers('other', ['erin'])
  const groupReceipt = await api.sendGroupMessage('alice', 'team', 'kept for bob and carol', { mid: 'group-1' })
  const { endpoint } = await api.fileToken('alice', 'sendfile', { to: 'bob' })

  // Sends to bob, one after another, until the server dies under them.
  const acknowledged = new Map<string, SendReceipt>()
  let reachedKillPoint: () => void = () => {}
  const killPoint = new Promise<void>((resolve) => {
    reachedKillPoint = resolve
  })
  const sending = (async () => {
    for (let i = 0; ; i++) {
      const mid = `loop-${i}`
      const sent = api.sendMessage('alice', 'bob', `loop message ${i}`, { mid })
      if (i === SENDS_BEFORE_KILL) reachedKillPoint()
      try {
        acknowledged.set(mid, await sent)
      } catch {
        return
      }
    }
  })()
  await killPoint
  first.kill()
  await first.exited()
  await sending
  assert.equal(first.exit?.signal, 'SIGKILL')
  assert.ok(acknowledged.size >= SENDS_BEFORE_KILL, `${acknowledged.size} sends acknowledged before the kill`)

  const second = await startOn(t, dir)
  const again = new FerryServerApi({ url: second.url, adminKey: ADMIN_KEY })
  assert.deepEqual(sortedGroups(await again.listGroups()), [
    { gid: 'other', members: ['dave', 'erin'] },
    { gid: 'team', members: ['alice', 'bob', 'carol'] },
  ])

  // The dedupe records: a resend gets the first receipt and delivers nothing more.
  assert.deepEqual(await again.sendGroupMessage('alice', 'team', 'resent', { mid: 'group-1' }), groupReceipt)
  for (const [mid, receipt] of acknowledged) {
    assert.deepEqual(await again.sendMessage('alice', 'bob', 'resent', { mid }), receipt, mid)
  }

  // The file token, issued before the kill, is good once.
  const file = randomBytes(5000)
  const sentFile = await uploadWithToken(second.url, endpoint, file, { fileName: 'after-restart.bin', mid: 'file-1' })
  await assert.rejects(uploadWithToken(second.url, endpoint, file), { code: 'bad-token' })

  // Bob logs in and gets what was kept for him: the group message, every acknowledged send, the file.
  const bob = await loginRecording(t, second.url, 'bob')
  const expected = acknowledged.size + 2
  const got = await deliveries(bob, expected)
  const mids = got.map(({ mid }) => mid)
  assert.equal(new Set(mids).size, mids.length, 'each kept message once')
  assert.ok(mids.includes('group-1'))
  for (const mid of acknowledged.keys()) assert.ok(mids.includes(mid), `${mid} kept for bob`)
  const group = got.find(({ mid }) => mid === 'group-1')
  assert.equal(group?.message.type === 'text' && group.message.text, 'kept for bob and carol')
  assert.equal(group?.mtime, groupReceipt.mtime)
  assert.equal(group?.offline, true)
  const loop = got.find(({ mid }) => mid === 'loop-3')
  assert.equal(loop?.message.type === 'text' && loop.message.text, 'loop message 3')
  const kept = got.find(({ mid }) => mid === 'file-1')
  assert.equal(kept?.message.type === 'file' && kept.message.mediaId, sentFile.mediaId)
  // Carol's copy of the group message is there too.
  const carol = await loginRecording(t, second.url, 'carol')
  assert.deepEqual(
    (await deliveries(carol, 1)).map(({ mid }) => mid),
    ['group-1'],
  )
  assert.doesNotMatch(second.stderr(), /unreadable|state sweep failed/)
})

interface Recording {
  socket: Client
  got: Delivery[]
}

/** Logs `userId` in with every delivery recorded from the first. */
async function loginRecording(t: { after(fn: () => void): void }, url: string, userId: string): Promise<Recording> {
  const socket = openClient(url, { userId })
  t.after(() => socket.close())
  const got: Delivery[] = []
  socket.on('message:deliver', (meta, bytes) => {
    const decoded = decodeMessage(new Uint8Array(bytes))
    assert.ok(decoded.ok, `a delivery to ${userId} decodes`)
    got.push({ ...meta, message: decoded.message })
  })
  await login(socket)
  return { socket, got }
}

/** Resolves once `count` deliveries arrived, or rejects after EVENT_TIMEOUT_MS. */
async function deliveries({ got }: Recording, count: number): Promise<Delivery[]> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`${got.length} deliveries, expected ${count}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return got
}

function sortedGroups(groups: { gid: string; members: string[] }[]): { gid: string; members: string[] }[] {
  return groups
    .map(({ gid, members }) => ({ gid, members: [...members].sort() }))
    .sort((a, b) => (a.gid < b.gid ? -1 : 1))
}
