import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

/** Large enough to still be moving when the first progress shows (a download from a peer takes seconds). */
const FILE_BYTES = 30 * MIB

test('the receiver cancels a media download mid-way: Cancelled, and nothing of it stays cached', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'large.bin', FILE_BYTES)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  const mediaId = await alice.sendMediaMessage(file.path, file.name)
  const received = bob.mediaMessage(file.name)

  await received.getByTestId(`media-download-${mediaId}`).click()
  await expect(received.getByTestId('media-progress-text')).not.toHaveText('0%')
  await received.getByTestId('media-cancel').click()

  await expect(received.getByTestId('media-status')).toHaveText('Cancelled')
  await expect(received.getByTestId('media-progress-text')).not.toHaveText('100%')
  await expect(received.getByTestId('media-save')).toHaveCount(0)
  await expect(received.getByTestId('media-cancel')).toHaveCount(0)
  await expect.poll(() => bob.cachedMedia()).not.toContain(mediaId)
  // The uploader keeps theirs: cancelling a download takes nothing from anyone else.
  expect(await alice.cachedMedia()).toContain(mediaId)
})

/** How long each upload piece is held back, so the upload lasts a few seconds. */
const PIECE_DELAY_MS = 400

test('the sender cancels an upload mid-way: nothing is sent, and nothing of it stays cached', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'unsent.bin', FILE_BYTES)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  // On loopback the whole upload takes a fraction of a second: hold each piece back a little, as a
  // slower network would, so there is an upload to cancel.
  await alice.page.route('**/media/*/content*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, PIECE_DELAY_MS))
    await route.continue()
  })

  await alice.page.getByTestId('media-input').setInputFiles(file.path)
  const sent = alice.mediaMessage(file.name)
  await expect(sent.getByTestId('chat-status')).toHaveText('Uploading…')
  await expect(sent.getByTestId('media-progress-text')).not.toHaveText('0%')
  await sent.getByTestId('media-cancel').click()

  await expect(sent.getByTestId('chat-status')).toHaveText('Cancelled')
  await expect(sent.getByTestId('media-progress-text')).not.toHaveText('100%')
  await expect(sent).toHaveAttribute('data-state', 'failed')
  await expect(sent.getByTestId('media-cancel')).toHaveCount(0)
  await expect(alice.banner).toBeHidden()
  await expect.poll(() => alice.cachedMedia()).toEqual([])
  await expect(bob.chat).toHaveCount(0)
})
