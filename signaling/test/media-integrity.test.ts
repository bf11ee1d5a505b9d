import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MediaHttpError } from '@ferry/protocol'
import { content, filesIn, newMediaId, sha256, startMediaServer, uploadRequest } from './media-client.js'

test('an upload whose bytes do not hash to its SHA-256 is refused with 422 and nothing of it is kept', async (t) => {
  const { user, dir } = await startMediaServer(t)
  const alice = await user('alice')
  const bob = await user('bob')
  const id = newMediaId()
  const bytes = content(5000)
  const declared = uploadRequest(bytes, { sha256: sha256(content(5000)) })
  await alice.api.start(id, declared)
  assert.equal((await alice.api.put(id, 0, bytes.subarray(0, 4000))).status, 200)

  const last = await alice.api.put(id, 4000, bytes.subarray(4000))
  assert.equal(last.status, 422)
  assert.equal(((await last.json()) as MediaHttpError).code, 'integrity-mismatch')

  assert.deepEqual(await filesIn(dir), [])
  for (const res of [await bob.api.info(id), await bob.api.download(id), await alice.api.put(id, 4000, bytes)]) {
    assert.equal(res.status, 404)
    assert.equal(((await res.json()) as MediaHttpError).code, 'media-not-found')
  }
  assert.deepEqual(await (await alice.api.start(id, declared)).json(), { received: 0, complete: false })
})
