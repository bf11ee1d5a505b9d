import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { MediaHttpError, MediaUploadState } from '@ferry/protocol'
import { EVENT_TIMEOUT_MS } from './harness.js'
import { content, filesIn, newMediaId, sha256, startMediaServer, uploadAll, uploadRequest } from './media-client.js'

const RETENTION_MS = 60_000

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let time = 1_700_000_000_000
  return {
    now: () => time,
    advance(ms) {
      time += ms
    },
  }
}

async function codeOf(res: Response): Promise<string> {
  return ((await res.json()) as MediaHttpError).code
}

test('a complete media is gone once its retention passed, and the sweep removes its files', async (t) => {
  const clock = manualClock()
  const { user, dir, server } = await startMediaServer(t, { media: { retentionMs: RETENTION_MS, now: clock.now } })
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(1000)
  const done = (await uploadAll(alice.api, id, bytes, 400)) as MediaUploadState
  assert.equal(done.expiresAt, clock.now() + RETENTION_MS)

  clock.advance(RETENTION_MS - 1)
  assert.equal((await alice.api.info(id)).status, 200)
  assert.equal(await server.media?.sweep(), 0)
  assert.deepEqual(await filesIn(dir), [`${id}.data`, `${id}.json`])

  clock.advance(1)
  assert.equal(await codeOf(await alice.api.info(id)), 'media-not-found')
  assert.equal(await codeOf(await alice.api.download(id)), 'media-not-found')
  assert.equal(await server.media?.sweep(), 1)
  assert.deepEqual(await filesIn(dir), [])
})

test('a partial upload that got no byte for the retention is swept; one still moving is kept', async (t) => {
  const clock = manualClock()
  const { user, dir, server } = await startMediaServer(t, { media: { retentionMs: RETENTION_MS, now: clock.now } })
  const alice = await user('alice')
  const stalled = newMediaId()
  const moving = newMediaId()
  const bytes = content(1000)
  for (const id of [stalled, moving]) {
    await alice.api.start(id, uploadRequest(bytes))
    await alice.api.put(id, 0, bytes.subarray(0, 100))
  }

  clock.advance(RETENTION_MS / 2)
  assert.equal((await alice.api.put(moving, 100, bytes.subarray(100, 200))).status, 200)
  clock.advance(RETENTION_MS / 2)
  assert.equal(await server.media?.sweep(), 1)

  assert.deepEqual(await filesIn(dir), [`${moving}.data`, `${moving}.json`])
  assert.equal(await codeOf(await alice.api.put(stalled, 100, bytes.subarray(100))), 'media-not-found')
  assert.deepEqual(await (await alice.api.start(moving, uploadRequest(bytes))).json(), {
    received: 200,
    complete: false,
  })
})

test('the store sweeps on start and every sweepEveryMs, leaving files that are not its own', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-media-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const old = newMediaId()
  const bytes = content(10)
  const record = {
    mediaId: old,
    uploader: 'alice',
    ...uploadRequest(bytes),
    received: 10,
    complete: true,
    createdAt: 1,
    expiresAt: Date.now() - 1,
  }
  await writeFile(join(dir, `${old}.json`), JSON.stringify(record))
  await writeFile(join(dir, `${old}.data`), bytes)
  await writeFile(join(dir, `${newMediaId()}.data`), 'no record: left by a crash')
  await writeFile(join(dir, 'notes.txt'), 'not the store’s')

  const clock = manualClock()
  clock.advance(Date.now() - clock.now())
  const { user } = await startMediaServer(t, {
    media: { dir, retentionMs: RETENTION_MS, sweepEveryMs: 20, now: clock.now },
  })
  assert.deepEqual(await filesIn(dir), ['notes.txt'])
  assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'not the store’s')

  const alice = await user('alice')
  const id = newMediaId()
  await uploadAll(alice.api, id, bytes, 10)
  assert.equal(sha256(new Uint8Array(await (await alice.api.download(id)).arrayBuffer())), sha256(bytes))
  clock.advance(RETENTION_MS)
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while ((await filesIn(dir)).length > 1) {
    assert.ok(Date.now() < deadline, 'the periodic sweep did not run')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  assert.deepEqual(await filesIn(dir), ['notes.txt'])
})
