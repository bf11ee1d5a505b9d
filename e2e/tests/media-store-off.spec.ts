import { createSignalingServer } from '@ferry/signaling'
import { startDemoPage } from '../support/demo-server'
import { test as base, expect } from '../support/fixtures'
import { writeRandomFile } from '../support/random-file'
import { writePng } from '../support/test-image'

/** The demo in front of its own signaling server, one that keeps no media (`media: false`). */
const test = base.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  demoUrl: async ({}, use) => {
    const signaling = await createSignalingServer({ port: 0, host: '127.0.0.1', media: false })
    try {
      const demo = await startDemoPage(signaling.url, '.vite-e2e-store-off')
      try {
        await use(demo.url)
      } finally {
        await demo.close()
      }
    } finally {
      await signaling.close()
    }
  },
})

test('with no media store, media come from the sender while online, and are gone once they leave', async ({
  users,
  tempDir,
}) => {
  const image = await writePng(tempDir, 'only-mine.png', 800, 600)
  const file = await writeRandomFile(tempDir, 'never-fetched.bin', 500_000)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  const imageId = await alice.sendMediaMessage(image.path, image.name)
  const fileId = await alice.sendMediaMessage(file.path, file.name)
  await expect(alice.mediaMessage(image.name).getByTestId('media-kept')).toHaveText(
    'Not on the server: only you have it',
  )

  const photo = bob.mediaMessage(image.name)
  await expect(photo.getByTestId('media-kept')).toHaveText(`Not on the server: only ${alice.name} has it`)
  await photo.getByTestId(`media-download-${imageId}`).click()
  await expect(photo.getByTestId('media-status')).toHaveAttribute('data-source', 'peer')

  await alice.context.close()
  await expect(bob.peerButton(alice)).toHaveCount(0)

  const never = bob.mediaMessage(file.name)
  await never.getByTestId(`media-download-${fileId}`).click()
  await expect(never.getByTestId('media-status')).toHaveText(
    'That file is gone: expired, deleted, or nobody online has it',
  )
  await expect(never.getByTestId('media-save')).toHaveCount(0)
  // What bob downloaded while alice was there stays his.
  await photo.getByTestId(`media-download-${imageId}`).click()
  await expect(photo.getByTestId('media-status')).toHaveAttribute('data-source', 'cache')
  const url = await photo.getByTestId('media-image').getAttribute('src')
  expect(await bob.sha256Of(url!)).toBe(image.sha256)
})
