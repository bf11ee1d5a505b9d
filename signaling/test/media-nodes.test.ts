import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { MediaHttpError, MediaUploadState } from '@ferry/protocol'
import { InMemorySessionStore } from '../src/session-store.js'
import { type Client, EVENT_TIMEOUT_MS, login, startServer } from './harness.js'
import { content, filesIn, MediaApi, newMediaId, sha256, uploadRequest } from './media-client.js'

/** Two server nodes over one media directory and one session store, as behind a load balancer. */
async function startTwoNodes(t: { after(fn: () => Promise<void> | void): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-media-nodes-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const sessionStore = new InMemorySessionStore()
  const a = await startServer(t, { sessionStore, media: { dir } })
  const b = await startServer(t, { sessionStore, media: { dir } })
  /** Logs `userId` in on node A; its key, on each node's media routes. */
  const user = async (userId: string): Promise<{ client: Client; onA: MediaApi; onB: MediaApi }> => {
    const client = a.connect({ userId })
    const key = (await login(client)).media?.key
    assert.ok(key !== undefined, 'session:ready offers no media store')
    return { client, onA: new MediaApi(a.server.url, key), onB: new MediaApi(b.server.url, key) }
  }
  return { dir, user }
}

/** A body that sends `first` and then holds, until `end` is called, as a slow or stalled client does. */
function heldBody(first: Uint8Array): { body: ReadableStream<Uint8Array>; end(): void } {
  let end = (): void => {}
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first)
      end = () => controller.close()
    },
  })
  return { body, end: () => end() }
}

/** Waits until the data file of `mediaId` holds `bytes`, so a held body is known to be written. */
async function untilOnDisk(dir: string, mediaId: string, bytes: number): Promise<void> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while ((await stat(join(dir, `${mediaId}.data`))).size < bytes) {
    assert.ok(Date.now() < deadline, `the data never reached ${bytes} bytes`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test('an upload started through one node resumes through the other at its offset and downloads whole there', async (t) => {
  const { dir, user } = await startTwoNodes(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(300_000)
  assert.equal((await alice.onA.start(id, uploadRequest(bytes))).status, 200)
  assert.equal((await alice.onA.put(id, 0, bytes.subarray(0, 120_000))).status, 200)

  // The client fails over to node B: asking again says where the upload stands.
  const resumed = (await (await alice.onB.start(id, uploadRequest(bytes))).json()) as MediaUploadState
  assert.deepEqual(resumed, { received: 120_000, complete: false })
  const wrong = await alice.onB.put(id, 0, bytes.subarray(0, 10))
  assert.equal(wrong.status, 409)
  assert.equal(((await wrong.json()) as MediaHttpError).received, 120_000)
  assert.equal((await alice.onB.put(id, 120_000, bytes.subarray(120_000, 200_000))).status, 200)
  // And back to A for the last piece: each node picks up where the other left.
  const done = (await (await alice.onA.put(id, 200_000, bytes.subarray(200_000))).json()) as MediaUploadState
  assert.equal(done.complete, true)

  const got = new Uint8Array(await (await alice.onB.download(id)).arrayBuffer())
  assert.equal(sha256(got), sha256(bytes))
  assert.deepEqual(await filesIn(dir), [`${id}.data`, `${id}.json`])
})

test('appends to one media through both nodes at once: the newer takes over, only the right bytes complete', async (t) => {
  const { dir, user } = await startTwoNodes(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(200_000)
  await alice.onA.start(id, uploadRequest(bytes))
  assert.equal((await alice.onA.put(id, 0, bytes.subarray(0, 50_000))).status, 200)

  // Through A, a piece of wrong bytes that stalls after 40 000 of them are written.
  const wrongBytes = content(150_000)
  const stalled = heldBody(wrongBytes.slice(0, 40_000))
  const throughA = alice.onA.put(id, 50_000, stalled.body)
  await untilOnDisk(dir, id, 90_000)

  // Through B, the same offset with the right bytes: it takes the upload over and completes it.
  const throughB = await alice.onB.put(id, 50_000, bytes.subarray(50_000))
  assert.equal(throughB.status, 200)
  assert.equal(((await throughB.json()) as MediaUploadState).complete, true)

  // A's append ends: what it wrote went nowhere, and it is told the upload moved on.
  stalled.end()
  const lateA = await throughA
  assert.equal(lateA.status, 409)
  assert.equal(((await lateA.json()) as MediaHttpError).code, 'invalid-argument')

  for (const api of [alice.onA, alice.onB]) {
    const got = new Uint8Array(await (await api.download(id)).arrayBuffer())
    assert.equal(sha256(got), sha256(bytes))
  }
  assert.deepEqual(await filesIn(dir), [`${id}.data`, `${id}.json`])
})

test('pieces raced through both nodes many times over never complete with other bytes than declared', async (t) => {
  const { dir, user } = await startTwoNodes(t)
  const alice = await user('alice')
  const bytes = content(64_000)
  const other = content(64_000)
  for (let round = 0; round < 8; round++) {
    const id = newMediaId()
    await alice.onA.start(id, uploadRequest(bytes))
    // Both nodes are sent the whole media at offset 0 at once, one with the wrong bytes.
    const [right, wrong] = round % 2 === 0 ? [alice.onA, alice.onB] : [alice.onB, alice.onA]
    const answers = await Promise.all([right.put(id, 0, bytes), wrong.put(id, 0, other)])
    const statuses = await Promise.all(answers.map(async (res) => `${res.status} ${await res.text()}`))
    // Each is done (200), taken over (409), a mismatch (422), or dropped by the other's mismatch (404).
    for (const status of statuses) assert.match(status, /^(200|404|409|422) /)
    // Whatever is left partial, the right bytes finish from where it stands, or it is refused as a mismatch.
    const state = await alice.onB.start(id, uploadRequest(bytes))
    if (state.status === 200) {
      const { received, complete } = (await state.json()) as MediaUploadState
      if (!complete) {
        const rest = await alice.onB.put(id, received, bytes.subarray(received))
        assert.ok(rest.status === 200 || rest.status === 422, `${rest.status}`)
        await rest.body?.cancel()
      }
    } else {
      await state.body?.cancel()
    }
    const info = await alice.onB.info(id)
    await info.body?.cancel()
    if (info.status === 200) {
      const got = new Uint8Array(await (await alice.onA.download(id)).arrayBuffer())
      assert.equal(sha256(got), sha256(bytes), `round ${round}: complete with other bytes`)
    } else {
      assert.equal(info.status, 404)
    }
  }
  for (const name of await filesIn(dir)) assert.match(name, /^[A-Za-z0-9_-]{32}\.(data|json)$/)
})

test('a key issued by one node is taken by the other while its session lives, and refused once it ended', async (t) => {
  const { user } = await startTwoNodes(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(1000)
  assert.equal((await alice.onB.start(id, uploadRequest(bytes))).status, 200)
  assert.equal((await alice.onB.put(id, 0, bytes)).status, 200)
  assert.equal((await alice.onA.info(id)).status, 200)

  alice.client.close()
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  for (;;) {
    const { status } = await alice.onB.info(id)
    if (status === 401) break
    assert.ok(Date.now() < deadline, `node B still takes the key of an ended session (${status})`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const refused = await alice.onB.start(newMediaId(), uploadRequest(bytes))
  assert.equal(refused.status, 401)
  assert.equal(((await refused.json()) as MediaHttpError).code, 'not-logged-in')
  assert.equal((await alice.onA.download(id)).status, 401)
  // A made-up key in the same shape, for another user, is refused on both.
  const forged = new MediaApi(
    alice.onB.url,
    alice.onB.key?.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
  )
  assert.equal((await forged.info(id)).status, 401)
})

test('a key stops working on every node once a newer login of its user replaced the session', async (t) => {
  const { user } = await startTwoNodes(t)
  const first = await user('alice')
  const id = newMediaId()
  const bytes = content(500)
  await first.onA.start(id, uploadRequest(bytes))
  await first.onA.put(id, 0, bytes)
  const second = await user('alice')
  assert.notEqual(second.onB.key, first.onB.key)
  assert.equal((await second.onB.info(id)).status, 200)
  assert.equal((await first.onB.info(id)).status, 401)
  assert.equal((await first.onA.info(id)).status, 401)
})
