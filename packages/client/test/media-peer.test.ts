import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import type { FileMessage } from '../src/index.js'
import { collect, next, randomFile, sha256, useClients } from './helpers.js'

// A server without a media store: media goes from peer to peer only.
const t = useClients({ alice: {}, bob: {}, carol: {} }, { media: false })

test('with the server store off, a file message is downloaded from the uploader, then from the cache', async () => {
  const { path, sha256: digest } = await randomFile(t.h.dir, 'clip.bin', 3 * 1024 * 1024 + 17)
  const upload = t.alice.createFileMessage(path, { text: 'the clip' })
  const message = await upload.done
  assert.equal(message.type, 'file')
  assert.equal(message.uploader, 'alice')
  assert.equal(message.sha256, digest)
  assert.equal(message.expiresAt, 0, 'no server store: nothing expires')
  assert.equal(message.fileName, 'clip.bin')

  const received = next(t.bob, 'message')
  await t.alice.sendMessage('bob', message).done
  const arrived = (await received).message as FileMessage

  const progress = collect(t.bob, 'media-progress')
  const download = t.bob.downloadMedia(arrived)
  const first = await download.done
  assert.equal(first.source, 'peer')
  assert.equal(sha256(first.data!), digest)
  const mine = progress.filter((event) => event.taskId === download.id)
  assert.equal(mine.at(-1)?.transferred, message.size, 'progress reaches the total')

  const again = await t.bob.downloadMedia(arrived, { to: 'file' }).done
  assert.equal(again.source, 'cache')
  assert.equal(sha256(await readFile(again.file!.path!)), digest)
  assert.ok((await t.bob.listMedia()).some((media) => media.mediaId === message.mediaId))
})

test('a message whose media the uploader does not hold fails with media-not-found', async () => {
  const { path } = await randomFile(t.h.dir, 'gone.bin', 1000)
  const message = await t.alice.createFileMessage(path).done
  assert.equal(await t.alice.deleteMedia(message.mediaId), true)
  await assert.rejects(t.carol.downloadMedia(message).done, { code: 'media-not-found' })
  assert.equal((await t.carol.listMedia()).length, 0)
})

test('a bare media id cannot be downloaded when no server keeps media', async () => {
  const { path } = await randomFile(t.h.dir, 'bare.bin', 1000)
  const message = await t.alice.createFileMessage(path).done
  await assert.rejects(t.carol.downloadMedia(message.mediaId).done, { code: 'media-not-found' })
})

test('a peer copy that does not match the published SHA-256 is refused', async () => {
  const { path } = await randomFile(t.h.dir, 'lie.bin', 5000)
  const message = await t.alice.createFileMessage(path).done
  const forged: FileMessage = { ...message, sha256: 'f'.repeat(64) }
  await assert.rejects(t.carol.downloadMedia(forged).done, { code: 'integrity-mismatch' })
  assert.equal((await t.carol.listMedia()).length, 0, 'nothing of it is cached')
})

test('cancelling a peer download leaves nothing in the cache', async () => {
  const { path } = await randomFile(t.h.dir, 'big.bin', 48 * 1024 * 1024)
  const message = await t.alice.createFileMessage(path).done
  const download = t.carol.downloadMedia(message)
  await next(t.carol, 'media-progress', (event) => event.taskId === download.id && event.transferred > 0)
  assert.equal(t.carol.cancelMedia(download.id), 'ok')
  await assert.rejects(download.done, { code: 'cancelled', name: 'AbortError' })
  assert.equal(t.carol.cancelMedia(download.id), 'already-finished')
  assert.equal((await t.carol.listMedia()).length, 0)
})

test('once the uploader is offline and no server keeps media, the download fails with media-not-found', async () => {
  const { path } = await randomFile(t.h.dir, 'late.bin', 1000)
  const message = await t.alice.createFileMessage(path).done
  await t.alice.close()
  await next(t.bob, 'presence', (event) => event.userId === 'alice' && !event.online)
  await assert.rejects(t.bob.downloadMedia(message).done, { code: 'media-not-found' })
})
