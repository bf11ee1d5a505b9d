import { expect, test } from '../support/fixtures'
import { writeRandomFile } from '../support/random-file'

// Of two users, the one with the smaller id opens the connection: amy starts it, zoe asks bob to.
test('sending to a user who went offline says so, whoever opens the connection', async ({ users, tempDir }) => {
  const file = await writeRandomFile(tempDir, 'note.bin', 4096)
  const [amy, bob, zoe] = await users.login('amy', 'bob', 'zoe')
  await amy.pick(bob)
  await zoe.pick(bob)
  await bob.page.getByTestId('logout').click()
  await expect(bob.page.getByTestId('login-button')).toBeVisible()

  for (const sender of [amy, zoe]) {
    await expect(sender.peerButton(bob)).toHaveAttribute('data-online', 'false')
    await expect(sender.peerButton(bob)).toContainText('offline')
    await sender.sendCmd('are you there?')
    await expect(sender.banner).toHaveText(new RegExp(`^${bob.name} is offline`))
    await expect(sender.messages.last().getByTestId('message-status')).toHaveText(`${bob.name} is offline`)
    await sender.sendFiles([file.path])
    await expect(sender.outgoing(file.name).getByTestId('status')).toHaveText(`${bob.name} is offline`)
  }
})
