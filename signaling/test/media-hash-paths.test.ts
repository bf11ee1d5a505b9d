import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MediaHttpError, MediaUploadState } from '@ferry/protocol'
import { content, newMediaId, startMediaServer, uploadRequest } from './media-client.js'

// An upload is hashed as it arrives; after a refused piece that running hash is dropped and the
// digest comes from the file on disk. Both ways must accept the right bytes and refuse wrong ones.
for (const lastByte of ['right', 'flipped'] as const) {
  test(`after a refused piece, a completed upload with ${lastByte} bytes is checked against its SHA-256`, async (t) => {
    const { user } = await startMediaServer(t)
    const alice = await user('alice')
    const id = newMediaId()
    const bytes = content(9000)
    await alice.api.start(id, uploadRequest(bytes))
    assert.equal((await alice.api.put(id, 0, bytes.subarray(0, 3000))).status, 200)
    // Too many bytes: refused, and the upload stays at 3000.
    assert.equal((await alice.api.put(id, 3000, new Uint8Array(7000))).status, 413)

    const rest = bytes.slice(3000)
    if (lastByte === 'flipped') rest[rest.length - 1] = (rest[rest.length - 1] ?? 0) ^ 1
    const last = await alice.api.put(id, 3000, rest)
    if (lastByte === 'right') {
      assert.equal(last.status, 200)
      assert.equal(((await last.json()) as MediaUploadState).complete, true)
    } else {
      assert.equal(last.status, 422)
      assert.equal(((await last.json()) as MediaHttpError).code, 'integrity-mismatch')
    }
  })
}
