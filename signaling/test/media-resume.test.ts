import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import type { MediaHttpError, MediaUploadState } from '@ferry/protocol'
import { EVENT_TIMEOUT_MS } from './harness.js'
import { content, filesIn, newMediaId, sha256, startMediaServer, uploadRequest } from './media-client.js'

test('an upload cut off mid-piece resumes from what the server holds, told by a 409 at a wrong offset', async (t) => {
  const { user, dir } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(250_000)
  await alice.api.start(id, uploadRequest(bytes))
  assert.equal((await alice.api.put(id, 0, bytes.subarray(0, 100_000))).status, 200)

  // The next piece goes out as a stream that fails after 50 000 bytes, as a dropped connection would.
  let fail: (error: Error) => void = () => {}
  const broken = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(100_000, 150_000))
      fail = (error) => controller.error(error)
    },
  })
  const cut = alice.api.put(id, 100_000, broken)
  setTimeout(() => fail(new Error('network gone')), 100)
  await assert.rejects(cut)

  const wrong = await alice.api.put(id, 0, bytes.subarray(0, 1))
  assert.equal(wrong.status, 409)
  const { code, received } = (await wrong.json()) as MediaHttpError
  assert.equal(code, 'invalid-argument')
  assert.ok(received !== undefined && received >= 100_000 && received <= 150_000, `received ${received}`)

  const resumed = (await (await alice.api.start(id, uploadRequest(bytes))).json()) as MediaUploadState
  assert.deepEqual(resumed, { received, complete: false })
  const rest = await alice.api.put(id, received, bytes.subarray(received))
  assert.equal(rest.status, 200)
  assert.equal(((await rest.json()) as MediaUploadState).complete, true)

  const got = new Uint8Array(await (await alice.api.download(id)).arrayBuffer())
  assert.equal(sha256(got), sha256(bytes))
  assert.deepEqual(await filesIn(dir), [`${id}.data`, `${id}.json`])
})

test("a retried piece takes over from the uploader's own append the server still sees running", async (t) => {
  const { user, dir } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(1000)
  await alice.api.start(id, uploadRequest(bytes))

  // A piece whose connection hangs: 100 bytes arrived, the rest never will.
  let end: () => void = () => {}
  const hanging = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 100))
      end = () => controller.close()
    },
  })
  const stale = alice.api.put(id, 0, hanging)
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while ((await stat(join(dir, `${id}.data`))).size < 100) {
    assert.ok(Date.now() < deadline, 'the first bytes never reached the disk')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }

  const retry = await alice.api.put(id, 0, bytes)
  assert.equal(retry.status, 409)
  assert.equal(((await retry.json()) as MediaHttpError).received, 100)
  end()
  const old = await stale
  assert.equal(old.status, 409)
  await old.body?.cancel()

  const rest = await alice.api.put(id, 100, bytes.subarray(100))
  assert.equal(((await rest.json()) as MediaUploadState).complete, true)
  assert.equal(sha256(new Uint8Array(await (await alice.api.download(id)).arrayBuffer())), sha256(bytes))
})
