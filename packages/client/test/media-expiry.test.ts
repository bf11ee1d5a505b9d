import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { randomFile, useClients } from './helpers.js'

/**
 * Long enough for a 10 KB download over a link that is already up, on a loaded machine; the link is
 * opened before the media exists, so its setup does not eat into this.
 */
const RETENTION_MS = 3000
const t = useClients({ alice: {}, bob: {} }, { media: { retentionMs: RETENTION_MS } })

test('media past its retention is gone: by message, by bare id, and from the uploader too', async () => {
  const { path } = await randomFile(t.h.dir, 'short-lived.bin', 10_000)
  await t.bob.sendCmd('alice', 'link up before the clock starts').done
  const message = await t.alice.createFileMessage(path).done
  const lifetime = message.expiresAt - Date.now()
  assert.ok(lifetime > 0 && lifetime <= RETENTION_MS, `expires in ${lifetime} ms`)
  // Before it expires, it downloads (from alice, who is online and holds it).
  assert.equal((await t.bob.downloadMedia(message.mediaId).done).source, 'peer')
  await t.bob.deleteMedia(message.mediaId)

  await sleep(RETENTION_MS + 100)
  await assert.rejects(t.bob.downloadMedia(message).done, { code: 'media-not-found' })
  await assert.rejects(t.bob.downloadMedia(message.mediaId).done, { code: 'media-not-found' })
  await assert.rejects(t.alice.downloadMedia(message).done, { code: 'media-not-found' })
  assert.equal((await t.alice.listMedia()).length, 0, "the uploader's cache dropped it too")
})
