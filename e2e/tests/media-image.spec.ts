import { expect, test } from '../support/fixtures'
import { writePng } from '../support/test-image'

test('an image message shows its thumbnail and pixel size, then downloads whole with progress to 100 %', async ({
  users,
  tempDir,
}) => {
  const image = await writePng(tempDir, 'photo.png', 1200, 800)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)

  const mediaId = await alice.sendMediaMessage(image.path, image.name)

  const received = bob.mediaMessage(image.name)
  await expect(received).toHaveAttribute('data-type', 'image')
  await expect(received).toHaveAttribute('data-media-id', mediaId)
  await expect(received.getByTestId('chat-from')).toHaveText(alice.name)
  await expect(received.getByTestId('media-dimensions')).toHaveText('1200 × 800')
  // The thumbnail came with the message, before anything was downloaded: a picture, smaller than the image.
  const thumbnail = received.getByTestId('media-thumbnail')
  await expect(thumbnail).toBeVisible()
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  const thumbSize = await thumbnail.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])
  expect(thumbSize[0]).toBeLessThan(image.width)
  expect(thumbSize[0]! / thumbSize[1]!).toBeCloseTo(image.width / image.height, 1)
  await expect(received.getByTestId('media-image')).toHaveCount(0)

  await received.getByTestId(`media-download-${mediaId}`).click()

  await expect(received.getByTestId('media-progress-text')).toHaveText('100%')
  await expect(received.getByTestId('media-progress')).toHaveAttribute('aria-valuenow', '100')
  await expect(received.getByTestId('media-status')).toHaveAttribute('data-source', 'peer')
  const full = received.getByTestId('media-image')
  await expect(full).toBeVisible()
  await expect
    .poll(() => full.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([image.width, image.height])
  const url = await full.getAttribute('src')
  expect(await bob.sha256Of(url!)).toBe(image.sha256)
  expect(await bob.cachedMedia()).toContain(mediaId)
})
