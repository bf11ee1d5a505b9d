import assert from 'node:assert/strict'
import { test } from 'node:test'
import { content, newMediaId, sha256, startMediaServer, uploadRequest } from './media-client.js'

test('a media uploaded in pieces downloads, by another user, as the same bytes', async (t) => {
  const { user } = await startMediaServer(t)
  const alice = await user('alice')
  const bob = await user('bob')
  const id = newMediaId()
  const bytes = content(300_001)

  const started = await alice.api.start(id, uploadRequest(bytes))
  assert.equal(started.status, 200)
  assert.deepEqual(await started.json(), { received: 0, complete: false })

  const piece = 64 * 1024
  let answer: unknown
  const before = Date.now()
  for (let offset = 0; offset < bytes.length; offset += piece) {
    const res = await alice.api.put(id, offset, bytes.subarray(offset, offset + piece))
    assert.equal(res.status, 200)
    answer = await res.json()
    const received = Math.min(offset + piece, bytes.length)
    if (received < bytes.length) assert.deepEqual(answer, { received, complete: false })
  }
  const { expiresAt, ...done } = answer as { expiresAt: number }
  assert.deepEqual(done, { received: bytes.length, complete: true })
  assert.ok(expiresAt >= before + 7 * 24 * 3600_000 && expiresAt <= Date.now() + 7 * 24 * 3600_000)

  const info = await bob.api.info(id)
  assert.equal(info.status, 200)
  assert.deepEqual(await info.json(), {
    mediaId: id,
    uploader: 'alice',
    fileName: 'photo.jpg',
    size: bytes.length,
    mime: 'image/jpeg',
    sha256: sha256(bytes),
    expiresAt,
  })

  const download = await bob.api.download(id)
  assert.equal(download.status, 200)
  assert.equal(download.headers.get('content-type'), 'image/jpeg')
  assert.equal(download.headers.get('content-length'), String(bytes.length))
  const got = new Uint8Array(await download.arrayBuffer())
  assert.equal(sha256(got), sha256(bytes))
  assert.deepEqual(got, bytes)
})

test('starting an upload again resumes it where it stands, and a complete one says it is complete', async (t) => {
  const { user } = await startMediaServer(t)
  const alice = await user('alice')
  const id = newMediaId()
  const bytes = content(1000)

  await alice.api.start(id, uploadRequest(bytes))
  assert.equal((await alice.api.put(id, 0, bytes.subarray(0, 400))).status, 200)
  const again = await alice.api.start(id, uploadRequest(bytes))
  assert.deepEqual(await again.json(), { received: 400, complete: false })

  const other = await alice.api.start(id, uploadRequest(bytes, { fileName: 'other.jpg' }))
  assert.equal(other.status, 409)
  assert.equal(((await other.json()) as { code: string }).code, 'invalid-argument')

  assert.equal((await alice.api.put(id, 400, bytes.subarray(400))).status, 200)
  const complete = (await (await alice.api.start(id, uploadRequest(bytes))).json()) as { complete: boolean }
  assert.equal(complete.complete, true)
})
