import { expect, test } from '../support/fixtures'
import { writeRandomFile } from '../support/random-file'

test.use({ busyCores: true })

// Direct only, with TURN candidates only and no TURN server: nothing can carry the link. The direct
// attempt is given 2 s (`timeout`) instead of the default 15 s. Of two users, the one with the smaller id
// opens the connection: alice starts it for her message, bob asks her to for his file.
test('with the relay off and no direct path, sending says there is no path instead of hanging', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'note.bin', 4096)
  const [alice, bob] = await users.loginWith({ transport: 'direct', ice: 'relay', timeout: '2000' }, 'alice', 'bob')
  await expect(alice.page.getByTestId('link-mode')).toHaveText(
    'Links: direct only, TURN candidates only, connect within 2 s',
  )
  await alice.pick(bob)
  await bob.pick(alice)

  await alice.sendCmd('anyone there?')
  const noPathToBob = `No path to ${bob.name}: direct connection failed and relay is off`
  await expect(alice.banner).toHaveText(new RegExp(`^${noPathToBob}`))
  await expect(alice.messages.last().getByTestId('message-status')).toHaveText(noPathToBob)
  await expect(bob.messages).toHaveCount(0)

  await bob.sendFiles([file.path])
  const sent = bob.outgoing(file.name)
  await expect(sent.getByTestId('status')).toHaveText(
    `No path to ${alice.name}: direct connection failed and relay is off`,
  )
  await expect(sent).toHaveAttribute('data-state', 'failed')
  await expect(alice.incoming(file.name)).toHaveCount(0)
  await expect(alice.linkBadge(bob)).toHaveCount(0)
})
