import { expect, test } from '../support/fixtures'
import { writeRandomFile } from '../support/random-file'

test('after the uploader has left, a file message still downloads, from the server store', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'report.bin', 3 * 1024 * 1024)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  const mediaId = await alice.sendMediaMessage(file.path, file.name)

  const received = bob.mediaMessage(file.name)
  await expect(received).toHaveAttribute('data-type', 'file')
  await expect(received.getByTestId('media-size')).toHaveText('3 MiB')
  await expect(received.getByTestId('media-kept')).toHaveText(/^On the server until /)
  await alice.context.close()
  await expect(bob.peerButton(alice)).toHaveCount(0)

  await received.getByTestId(`media-download-${mediaId}`).click()

  await expect(received.getByTestId('media-status')).toHaveAttribute('data-source', 'server')
  await expect(received.getByTestId('media-status')).toHaveText('Downloaded from the server')
  await expect(received.getByTestId('media-progress-text')).toHaveText('100%')
  const save = received.getByTestId('media-save')
  await expect(save).toHaveAttribute('download', file.name)
  expect(await bob.sha256Of((await save.getAttribute('href'))!)).toBe(file.sha256)
})
