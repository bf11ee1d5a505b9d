import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FerryEvents, FileMessage } from '../src/index.js'
import { collect, next, randomFile, sha256, useClients } from './helpers.js'

// The default server: a media store on, so the upload goes there too.
const t = useClients({ sam: {}, m1: {}, m2: {}, m3: {}, outsider: {} })

/** Resolves once `check` holds, polling; rejects after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test('a file sent to a room of four is uploaded once, and members fetch it from whoever holds it', async () => {
  const store = t.h.server.media!
  const uploads: string[] = []
  const reads: string[] = []
  const start = store.start.bind(store)
  const read = store.read.bind(store)
  store.start = (mediaId, ...rest) => {
    uploads.push(mediaId)
    return start(mediaId, ...rest)
  }
  store.read = (mediaId, ...rest) => {
    reads.push(mediaId)
    return read(mediaId, ...rest)
  }
  const members = [t.m1, t.m2, t.m3]
  for (const client of [t.sam, ...members]) await client.joinRoom('crew')
  assert.deepEqual((await t.sam.roomMembers('crew')).sort(), ['m1', 'm2', 'm3', 'sam'])

  const { path, sha256: digest } = await randomFile(t.h.dir, 'plan.bin', 2 * 1024 * 1024 + 5)
  const message = await t.sam.createFileMessage(path, { text: 'the plan' }).done
  const holders = () => t.h.server.mediaHolders.holdersOf(message.mediaId)
  await until(async () => (await holders()).includes('sam'), 'the uploader announced it')

  const seen = new Map(
    (['sam', 'm1', 'm2', 'm3', 'outsider'] as const).map((user) => [user, collect(t[user], 'message')]),
  )
  const arrivals = members.map((client) => next(client, 'message', (event) => event.delivery !== undefined))
  const receipt = await t.sam.sendRoomMessage('crew', message)
  const arrived = await Promise.all(arrivals)
  for (const event of arrived) {
    assert.equal(event.from, 'sam')
    assert.equal(event.taskId, receipt.mid)
    assert.deepEqual(event.delivery?.target, { type: 'room', rid: 'crew' })
    assert.equal(event.delivery?.mtype, 50)
    assert.deepEqual(event.message, message)
  }

  // One after another, so each download can find the one before it: m1 gets it from sam, m2 from m1, m3 from m2.
  const expected = ['sam', 'm1', 'm2']
  for (const [i, client] of members.entries()) {
    const result = await client.downloadMedia(arrived[i]!.message as FileMessage).done
    assert.equal(sha256(result.data!), digest, `${client.userId} got equal bytes`)
    assert.equal(result.source, 'peer')
    assert.equal(result.peer, expected[i], `${client.userId} fetched from the most recent holder`)
    await until(async () => (await holders())[0] === client.userId, `${client.userId} announced it`)
  }
  assert.deepEqual(await holders(), ['m3', 'm2', 'm1', 'sam'])

  assert.deepEqual(
    uploads.filter((id) => id === message.mediaId),
    [message.mediaId],
    'the store got exactly one upload',
  )
  assert.deepEqual(
    reads.filter((id) => id === message.mediaId),
    [],
    'nobody had to download it from the store',
  )
  const roomMessages = (events: FerryEvents['message'][]) => events.filter((e) => e.taskId === receipt.mid)
  assert.equal(roomMessages(seen.get('outsider')!).length, 0, 'a non-member got nothing')
  assert.equal(roomMessages(seen.get('sam')!).length, 0, 'the sender got nothing back')
  for (const user of ['m1', 'm2', 'm3'] as const) assert.equal(roomMessages(seen.get(user)!).length, 1, user)
})
