import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { MAX_MEDIA_TASKS, type MediaHttpError, type MediaUploadState } from '@ferry/protocol'
import { EVENT_TIMEOUT_MS } from './harness.js'
import { content, newMediaId, sha256, startMediaServer, uploadRequest } from './media-client.js'

async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  return { status: res.status, code: ((await res.json()) as MediaHttpError).code }
}

test('an upload request over the size limit is 413 file-too-large; a malformed one is 400', async (t) => {
  const { user, server } = await startMediaServer(t, { media: { maxBytes: 1000 } })
  const alice = await user('alice')
  const bytes = content(1000)
  const tooLarge = { status: 413, code: 'file-too-large' }
  const bad = { status: 400, code: 'invalid-argument' }

  assert.deepEqual(await errorOf(await alice.api.start(newMediaId(), uploadRequest(bytes, { size: 1001 }))), tooLarge)
  assert.equal((await alice.api.start(newMediaId(), uploadRequest(bytes))).status, 200)
  for (const fields of [
    { size: 0 },
    { size: -1 },
    { size: 1.5 },
    { sha256: 'ABC' },
    { sha256: sha256(bytes).toUpperCase() },
    { fileName: 'x'.repeat(1025) },
    { mime: 'm'.repeat(256) },
  ]) {
    assert.deepEqual(
      await errorOf(await alice.api.start(newMediaId(), uploadRequest(bytes, fields))),
      bad,
      JSON.stringify(fields),
    )
  }
  for (const body of [
    'not json',
    '[]',
    'null',
    '{}',
    JSON.stringify({ ...uploadRequest(bytes), fileName: 'x'.repeat(9000) }),
  ]) {
    const res = await alice.api.call('POST', newMediaId(), { body })
    assert.deepEqual(await errorOf(res), bad, body.slice(0, 20))
  }
  // The server still answers after all that.
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200)
})

test('bytes past the declared size are refused with 413 and the upload stays where it was', async (t) => {
  const { user, dir } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(100)
  await alice.api.start(id, uploadRequest(bytes))
  assert.equal((await alice.api.put(id, 0, bytes.subarray(0, 60))).status, 200)

  // With a Content-Length the server refuses before reading; streamed, it refuses once the bytes arrive.
  const sized = await alice.api.put(id, 60, content(50))
  assert.deepEqual(await errorOf(sized), { status: 413, code: 'file-too-large' })
  const streamed = await alice.api.put(id, 60, streamOf([content(30), content(20)]))
  assert.deepEqual(await errorOf(streamed), { status: 413, code: 'file-too-large' })

  assert.deepEqual(await (await alice.api.start(id, uploadRequest(bytes))).json(), { received: 60, complete: false })
  assert.equal((await stat(join(dir, `${id}.data`))).size, 60)
  const rest = await alice.api.put(id, 60, bytes.subarray(60))
  assert.equal(((await rest.json()) as MediaUploadState).complete, true)
  assert.deepEqual(new Uint8Array(await (await alice.api.download(id)).arrayBuffer()), bytes)
})

test(`a user with ${MAX_MEDIA_TASKS} uploads running gets 429 rate-limited for one more`, async (t) => {
  const { user, server } = await startMediaServer(t)
  const alice = await user('alice')
  const bob = await user('bob')
  const bytes = content(100)
  const ends: (() => void)[] = []
  const running: Promise<Response>[] = []
  for (let i = 0; i < MAX_MEDIA_TASKS; i++) {
    const id = newMediaId()
    await alice.api.start(id, uploadRequest(bytes))
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10))
        ends.push(() => controller.close())
      },
    })
    running.push(alice.api.put(id, 0, body))
  }
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while (server.media?.uploading('alice') !== MAX_MEDIA_TASKS) {
    assert.ok(Date.now() < deadline, `${server.media?.uploading('alice')} uploads running`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }

  const id = newMediaId()
  await alice.api.start(id, uploadRequest(bytes))
  assert.deepEqual(await errorOf(await alice.api.put(id, 0, bytes)), { status: 429, code: 'rate-limited' })
  const bobs = newMediaId()
  await bob.api.start(bobs, uploadRequest(bytes))
  assert.equal((await bob.api.put(bobs, 0, bytes)).status, 200)

  for (const end of ends) end()
  for (const res of await Promise.all(running)) assert.deepEqual(await res.json(), { received: 10, complete: false })
  assert.equal((await alice.api.put(id, 0, bytes)).status, 200)
})

function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece)
      controller.close()
    },
  })
}
