import assert from 'node:assert/strict'
import { access } from 'node:fs/promises'
import { test } from 'node:test'
import { FerryError } from '@ferry/protocol'
import { createSignalingServer } from '../src/index.js'
import { login, openClient } from './harness.js'
import { content, MediaApi, newMediaId, sha256, uploadAll } from './media-client.js'

test('by default the store keeps media in a temporary directory that close() removes', async () => {
  const server = await createSignalingServer({ port: 0 })
  const dir = server.media?.dir ?? ''
  const client = openClient(server.url, { userId: 'alice' })
  try {
    const ready = await login(client)
    const api = new MediaApi(server.url, ready.media?.key)
    const id = newMediaId()
    const bytes = content(1000)
    await uploadAll(api, id, bytes, 1000)
    assert.equal(sha256(new Uint8Array(await (await api.download(id)).arrayBuffer())), sha256(bytes))
    await access(dir)
  } finally {
    client.close()
    await server.close()
  }
  await assert.rejects(access(dir), { code: 'ENOENT' })
})

test('createSignalingServer refuses bad media settings before it starts anything', async () => {
  const refused = (pattern: RegExp) => (error: unknown) =>
    error instanceof FerryError && error.code === 'invalid-argument' && pattern.test(error.message)
  await assert.rejects(createSignalingServer({ port: 0, media: { maxBytes: 0 } }), refused(/media.maxBytes/))
  await assert.rejects(createSignalingServer({ port: 0, media: { retentionMs: 1.5 } }), refused(/media.retentionMs/))
  await assert.rejects(createSignalingServer({ port: 0, media: { sweepEveryMs: 2 ** 31 } }), refused(/sweepEveryMs/))
  await assert.rejects(createSignalingServer({ port: 0, media: { dir: '' } }), refused(/media.dir/))
})
