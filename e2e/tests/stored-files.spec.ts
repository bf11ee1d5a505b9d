import { expect, test } from '../support/fixtures'
import { writeRandomFile } from '../support/random-file'

test('a received file is still there after a reload, until it is deleted', async ({ users, tempDir }) => {
  const file = await writeRandomFile(tempDir, 'keep-me.bin', 300_000)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  await alice.sendFiles([file.path])
  await expect(bob.incoming(file.name).getByTestId('status')).toHaveText('Received')

  await bob.page.reload()
  await bob.login()
  const kept = bob.page.locator('li[data-testid^="stored-"]').filter({ hasText: file.name })
  await expect(kept.getByTestId('status')).toHaveText('Kept from an earlier visit')
  await expect(kept).toContainText(`from ${alice.name}`)

  const [download] = await Promise.all([bob.page.waitForEvent('download'), kept.getByTestId('save').click()])
  expect(download.suggestedFilename()).toBe(file.name)
  await kept.getByTestId('delete').click()
  await expect(kept).toHaveCount(0)
  await expect.poll(() => bob.storedRecords()).toBe(0)
})
