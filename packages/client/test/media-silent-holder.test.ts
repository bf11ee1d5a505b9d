import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Frame } from '@ferry/protocol'
import { RawPeer, within } from './abuse/raw-peer.js'
import { randomFile, sha256, useClients } from './helpers.js'

/** Short, so the cases are quick; the task's own idle timeout stays the default 120 s. */
const SOURCE_TIMEOUT_MS = 1000

const t = useClients({
  alice: { transport: 'relay' },
  bob: { transport: 'relay', mediaSourceTimeoutMs: SOURCE_TIMEOUT_MS },
})

/**
 * A user that tells the server it holds `mediaId` and then drops every request for it. Resolves once
 * the server has its claim (its answer to a later request on the same socket comes after it).
 */
async function silentHolder(userId: string, mediaId: string): Promise<RawPeer> {
  const peer = await RawPeer.login(t.h.server.url, userId)
  peer.raw.emit('media:have', { mediaId })
  await within(
    new Promise((resolve) => peer.raw.emit('media:holders', { mediaId }, resolve)),
    'the server taking the claim',
  )
  return peer
}

function isRequest(frame: Frame): boolean {
  return frame.type === 'media-request'
}

test('a holder that never answers costs one source timeout: the download completes from the uploader or the store', async () => {
  const { path, sha256: digest } = await randomFile(t.h.dir, 'claimed.bin', 300_000)
  const message = await t.alice.createFileMessage(path).done
  const mallory = await silentHolder('mallory', message.mediaId)
  try {
    const result = await t.bob.downloadMedia(message).done
    assert.equal(sha256(result.data!), digest)
    assert.ok(
      (result.source === 'peer' && result.peer === 'alice') || result.source === 'server',
      `from ${result.source} ${result.peer ?? ''}`,
    )
    const request = await mallory.next(isRequest, 'the request to the silent holder')
    const gaveUp = await mallory.next(
      (f) => f.type === 'cancel' && f.taskId === request.taskId && f.origin === 'receiver',
      'bob giving up on the silent holder',
    )
    assert.ok(gaveUp)
  } finally {
    mallory.close()
  }
})

test('with the uploader gone, a holder that never answers is left for the store', async () => {
  const carol = await t.h.client('carol', { transport: 'relay' })
  const { path, sha256: digest } = await randomFile(t.h.dir, 'orphan.bin', 200_000)
  const message = await carol.createFileMessage(path).done
  await carol.close()
  const mallory = await silentHolder('mallory2', message.mediaId)
  try {
    const result = await t.bob.downloadMedia(message).done
    assert.equal(result.source, 'server')
    assert.equal(sha256(result.data!), digest)
    await mallory.next(isRequest, 'the request to the silent holder')
  } finally {
    mallory.close()
  }
})
