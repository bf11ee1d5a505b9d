import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

test('the receiver closes the tab mid-file: the sender shows it disconnected', async ({ users, tempDir }) => {
  const file = await writeRandomFile(tempDir, 'big.bin', 64 * MIB)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  await alice.sendFiles([file.path])

  const sent = alice.outgoing(file.name)
  await expect(bob.incoming(file.name).getByTestId('status')).toHaveText('Receiving')
  await bob.page.close()

  await expect(sent.getByTestId('status')).toHaveText(`${bob.name} disconnected`)
  await expect(sent).toHaveAttribute('data-state', 'failed')
  await expect(alice.peerButton(bob)).toHaveAttribute('data-online', 'false')
})
