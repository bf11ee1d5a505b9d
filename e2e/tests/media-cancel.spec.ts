import { MEDIA_PIECE_BYTES } from '@ferry/protocol'
import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'
import { holdSentData, PATIENT_LINKS } from '../support/sent-data-hold'
import { untilHeld } from '../support/until-held'
import { holdUploads } from '../support/upload-hold'

test.use({ busyCores: true })

/** More than one upload piece (MEDIA_PIECE_BYTES, 4 MiB), so an upload can stop after the first. */
const FILE_BYTES = 6 * MIB
/** The uploader's data to the downloader stops here: well into the file, far from its end. */
const HOLD_AFTER_BYTES = 2 * MIB

test('the receiver cancels a media download mid-way: Cancelled, and nothing of it stays cached', async ({
  users,
  tempDir,
  relayHolds,
}) => {
  const file = await writeRandomFile(tempDir, 'large.bin', FILE_BYTES)
  const [alice, bob] = await users.loginWith(PATIENT_LINKS, 'alice', 'bob')
  await alice.pick(bob)
  await alice.openLink()
  const mediaId = await alice.sendMediaMessage(file.path, file.name)
  const received = bob.mediaMessage(file.name)

  // Alice is online, so bob downloads from her: her side of it stops mid-way.
  const hold = await holdSentData(alice, relayHolds, HOLD_AFTER_BYTES)
  await received.getByTestId(`media-download-${mediaId}`).click()
  await untilHeld(() => hold.heldFrames())
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

test('the sender cancels an upload mid-way: nothing is sent, and nothing of it stays cached', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'unsent.bin', FILE_BYTES)
  const [alice, bob] = await users.loginWith(PATIENT_LINKS, 'alice', 'bob')
  await alice.pick(bob)
  // The first piece reaches the server; the second never does, so the upload stands still after it.
  const hold = await holdUploads(alice.page, MEDIA_PIECE_BYTES)

  await alice.page.getByTestId('media-input').setInputFiles(file.path)
  const sent = alice.mediaMessage(file.name)
  await untilHeld(() => hold.heldPieces())
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
