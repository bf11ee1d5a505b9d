import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MediaHttpError } from '@ferry/protocol'
import { EVENT_TIMEOUT_MS } from './harness.js'
import { content, filesIn, newMediaId, startMediaServer, uploadRequest } from './media-client.js'

test('deleting an upload stops the append that runs on it and leaves no file behind', async (t) => {
  const { user, dir, server } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(1000)
  await alice.api.start(id, uploadRequest(bytes))
  let end: () => void = () => {}
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 100))
      end = () => controller.close()
    },
  })
  const running = alice.api.put(id, 0, body)
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while (server.media?.uploading('alice') !== 1) {
    assert.ok(Date.now() < deadline, 'the append never started')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }

  assert.equal((await alice.api.delete(id)).status, 204)
  end()
  const cut = await running
  assert.equal(cut.status, 404)
  assert.equal(((await cut.json()) as MediaHttpError).code, 'media-not-found')
  assert.equal(server.media?.uploading('alice'), 0)
  assert.deepEqual(await filesIn(dir), [])
  assert.equal((await alice.api.info(id)).status, 404)
})
