import { expect, test } from '../support/fixtures'
import { writePng } from '../support/test-image'

test('downloading a media again is served from the local cache, with the same bytes', async ({ users, tempDir }) => {
  const image = await writePng(tempDir, 'again.png', 640, 480)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  const mediaId = await alice.sendMediaMessage(image.path, image.name)
  const received = bob.mediaMessage(image.name)
  const download = received.getByTestId(`media-download-${mediaId}`)
  const status = received.getByTestId('media-status')

  await download.click()
  await expect(status).toHaveAttribute('data-source', 'peer')
  expect(await bob.cachedMedia()).toContain(mediaId)

  await expect(download).toHaveText('Download again')
  await download.click()
  await expect(status).toHaveAttribute('data-source', 'cache')
  await expect(status).toHaveText('Downloaded from this browser’s cache')
  await expect(received.getByTestId('media-progress-text')).toHaveText('100%')
  const url = await received.getByTestId('media-image').getAttribute('src')
  expect(await bob.sha256Of(url!)).toBe(image.sha256)
})
