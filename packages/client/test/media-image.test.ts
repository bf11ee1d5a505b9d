import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { next, useClients } from './helpers.js'

const IMAGES = fileURLToPath(new URL('./fixtures/images/', import.meta.url))
const t = useClients({ alice: {}, bob: {} })

for (const file of ['img-37x23.jpg', 'img-37x23.png', 'img-37x23.bmp', 'img-37x23.gif', 'img-37x23.webp']) {
  test(`an image message of ${file} carries its detected width and height`, async () => {
    const message = await t.alice.createImageMessage(join(IMAGES, file)).done
    assert.equal(message.type, 'image')
    assert.deepEqual([message.width, message.height], [37, 23])
    const received = next(t.bob, 'message')
    await t.alice.sendMessage('bob', message).done
    const arrived = (await received).message
    assert.equal(arrived.type, 'image')
    assert.deepEqual(arrived.type === 'image' && [arrived.width, arrived.height], [37, 23])
  })
}

test('a JPEG whose frame header follows a large EXIF block is still measured', async () => {
  const message = await t.alice.createImageMessage(join(IMAGES, 'img-37x23-big-exif.jpg')).done
  assert.deepEqual([message.width, message.height], [37, 23])
})

test('width and height given by the app override the detected ones, with the thumbnail size', async () => {
  const thumbnail = new Uint8Array([1, 2, 3])
  const message = await t.alice.createImageMessage(join(IMAGES, 'img-37x23.png'), {
    width: 1000,
    height: 500,
    thumbnail,
    thumbnailMime: 'image/png',
    thumbnailWidth: 20,
    thumbnailHeight: 10,
  }).done
  assert.deepEqual(
    [message.width, message.height, message.thumbnailWidth, message.thumbnailHeight],
    [1000, 500, 20, 10],
  )
  assert.deepEqual(message.thumbnail, thumbnail)
})

test('bytes that are no image fail with invalid-argument unless the app gives the size', async () => {
  const notImage = new Blob(['just some text'], { type: 'text/plain' })
  await assert.rejects(t.alice.createImageMessage(notImage).done, { code: 'invalid-argument' })
  const message = await t.alice.createImageMessage(notImage, { width: 4, height: 3 }).done
  assert.deepEqual([message.width, message.height], [4, 3])
})

test('an image message made again from its media id needs no upload and reads the size from the cache', async () => {
  const first = await t.alice.createImageMessage(join(IMAGES, 'img-37x23.gif')).done
  const again = await t.alice.messageFromMedia(first.mediaId, { type: 'image', text: 'again' })
  assert.equal(again.type, 'image')
  assert.equal(again.mediaId, first.mediaId)
  assert.equal(again.text, 'again')
  assert.deepEqual(again.type === 'image' && [again.width, again.height], [37, 23])
})
