import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MediaHttpError } from '@ferry/protocol'
import { EVENT_TIMEOUT_MS, nextEvent } from './harness.js'
import {
  content,
  filesIn,
  MediaApi,
  newMediaId,
  sha256,
  startMediaServer,
  uploadAll,
  uploadRequest,
} from './media-client.js'

async function errorOf(res: Response): Promise<{ status: number; code: string }> {
  return { status: res.status, code: ((await res.json()) as MediaHttpError).code }
}

const NOT_LOGGED_IN = { status: 401, code: 'not-logged-in' }

test('the media routes refuse no key, a made-up key, and the key of a session that ended', async (t) => {
  const { server, user } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(1000)
  await uploadAll(alice.api, id, bytes, 1000)

  assert.deepEqual(await errorOf(await new MediaApi(server.url, undefined).info(id)), NOT_LOGGED_IN)
  assert.deepEqual(await errorOf(await new MediaApi(server.url, 'made-up-key').download(id)), NOT_LOGGED_IN)
  const basic = await fetch(`${server.url}/media/${id}`, { headers: { authorization: `Basic ${alice.api.key}` } })
  assert.deepEqual(await errorOf(basic), NOT_LOGGED_IN)

  // A newer login of alice replaces her session: the old key dies with it, the new one works.
  const again = await user('alice')
  await nextEvent(alice.client, 'session:ended')
  assert.notEqual(again.api.key, alice.api.key)
  assert.equal((await again.api.info(id)).status, 200)
  await waitFor401(() => alice.api.info(id))

  // A session that disconnects: its key stops working.
  const bob = await user('bob')
  assert.equal((await bob.api.info(id)).status, 200)
  bob.client.close()
  await waitFor401(() => bob.api.download(id))
  assert.equal((await bob.api.start(newMediaId(), uploadRequest(bytes))).status, 401)
  assert.equal(server.media?.uploading('bob'), 0)
})

test('only the uploader appends to or deletes a media; another user who knows the id downloads it', async (t) => {
  const { user, dir } = await startMediaServer(t)
  const alice = await user('alice')
  const bob = await user('bob')
  const id = newMediaId()
  const bytes = content(2000)
  await alice.api.start(id, uploadRequest(bytes))
  assert.equal((await alice.api.put(id, 0, bytes.subarray(0, 1000))).status, 200)

  assert.deepEqual(await errorOf(await bob.api.put(id, 1000, content(1000))), { status: 409, code: 'invalid-argument' })
  assert.deepEqual(await errorOf(await bob.api.start(id, uploadRequest(bytes))), {
    status: 409,
    code: 'invalid-argument',
  })
  assert.deepEqual(await errorOf(await bob.api.delete(id)), { status: 403, code: 'invalid-target' })
  assert.deepEqual(await errorOf(await bob.api.download(id)), { status: 404, code: 'media-not-found' })

  assert.equal((await alice.api.put(id, 1000, bytes.subarray(1000))).status, 200)
  const got = new Uint8Array(await (await bob.api.download(id)).arrayBuffer())
  assert.equal(sha256(got), sha256(bytes))
  assert.deepEqual(await errorOf(await bob.api.delete(id)), { status: 403, code: 'invalid-target' })
  assert.equal((await bob.api.download(id)).status, 200)

  const deleted = await alice.api.delete(id)
  assert.equal(deleted.status, 204)
  assert.deepEqual(await errorOf(await bob.api.download(id)), { status: 404, code: 'media-not-found' })
  assert.deepEqual(await errorOf(await alice.api.delete(id)), { status: 404, code: 'media-not-found' })
  assert.deepEqual(await filesIn(dir), [])
})

/** The server revokes a key when it sees the socket go, which takes a moment after the client closes. */
async function waitFor401(request: () => Promise<Response>): Promise<void> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  for (;;) {
    const res = await request()
    const status = res.status
    await res.body?.cancel()
    if (status === 401) return
    if (Date.now() > deadline) assert.fail(`still ${status} ${EVENT_TIMEOUT_MS} ms after the session ended`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
