import assert from 'node:assert/strict'
import { test } from 'node:test'
import { content, newMediaId, sha256, startMediaServer, uploadAll } from './media-client.js'

test('a download resumes from an offset with Range: bytes=N-, answered 206 with Content-Range', async (t) => {
  const { user } = await startMediaServer(t)
  const alice = await user('alice')
  const bob = await user('bob')
  const id = newMediaId()
  const bytes = content(200_000)
  await uploadAll(alice.api, id, bytes, 64 * 1024)

  const rest = await bob.api.download(id, 'bytes=123456-')
  assert.equal(rest.status, 206)
  assert.equal(rest.headers.get('content-range'), `bytes 123456-199999/200000`)
  assert.equal(rest.headers.get('content-length'), String(200_000 - 123_456))
  const tail = new Uint8Array(await rest.arrayBuffer())
  assert.equal(sha256(tail), sha256(bytes.subarray(123_456)))

  const span = await bob.api.download(id, 'bytes=10-19')
  assert.equal(span.status, 206)
  assert.equal(span.headers.get('content-range'), 'bytes 10-19/200000')
  assert.deepEqual(new Uint8Array(await span.arrayBuffer()), bytes.subarray(10, 20))

  const last = await bob.api.download(id, 'bytes=199999-')
  assert.deepEqual(new Uint8Array(await last.arrayBuffer()), bytes.subarray(199_999))

  const beyond = await bob.api.download(id, 'bytes=200000-')
  assert.equal(beyond.status, 416)
  assert.equal(((await beyond.json()) as { code: string }).code, 'invalid-argument')

  for (const range of ['bytes=-500', 'bytes=0-1,5-6', 'items=0-', 'bytes=20-10']) {
    const bad = await bob.api.download(id, range)
    assert.ok(bad.status === 400 || bad.status === 416, `${range}: ${bad.status}`)
    assert.equal(((await bad.json()) as { code: string }).code, 'invalid-argument', range)
  }
})
