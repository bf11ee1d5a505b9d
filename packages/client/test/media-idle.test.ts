import assert from 'node:assert/strict'
import { test } from 'node:test'
import { randomFile, useClients } from './helpers.js'

const IDLE_MS = 400
const t = useClients({ alice: {}, bob: { mediaIdleTimeoutMs: IDLE_MS } })

test('a media download with no progress for the idle timeout fails with idle-timeout and keeps nothing', async () => {
  const { path } = await randomFile(t.h.dir, 'stalled.bin', 100_000)
  const message = await t.alice.createFileMessage(path).done
  await t.alice.close()
  // The server store stops answering: every media request hangs until it is aborted.
  const realFetch = globalThis.fetch
  globalThis.fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true })
    })
  try {
    const started = Date.now()
    await assert.rejects(t.bob.downloadMedia(message).done, { code: 'idle-timeout' })
    const waited = Date.now() - started
    assert.ok(waited >= IDLE_MS && waited < IDLE_MS * 10, `failed after ${waited} ms`)
  } finally {
    globalThis.fetch = realFetch
  }
  assert.equal((await t.bob.listMedia()).length, 0)
})
