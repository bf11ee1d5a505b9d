import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

test('relay only: the sender cancels mid-file, both ends show Cancelled and nothing stays stored', async ({
  users,
  tempDir,
}) => {
  // The relay is slower than a data channel: this still moves for several seconds after the first progress,
  // long enough for the click to land even on a busy machine.
  const file = await writeRandomFile(tempDir, 'big.bin', 128 * MIB)
  const [alice, bob] = await users.loginWith({ transport: 'relay' }, 'alice', 'bob')
  await alice.pick(bob)
  await alice.sendFiles([file.path])

  const sent = alice.outgoing(file.name)
  const received = bob.incoming(file.name)
  await expect(sent.getByTestId('status')).toHaveText('Sending')
  await sent.getByTestId('cancel').click()

  await expect(sent.getByTestId('status')).toHaveText('Cancelled')
  await expect(received.getByTestId('status')).toHaveText('Cancelled')
  await expect(sent.getByTestId('progress-text')).not.toHaveText('100%')
  await expect(received.getByTestId('progress-text')).not.toHaveText('100%')
  await expect(received.getByTestId('cancel')).toHaveCount(0)
  await expect(alice.linkBadge(bob)).toHaveText('relay')
  await expect(bob.linkBadge(alice)).toHaveText('relay')
  await expect.poll(() => bob.storedRecords()).toBe(0)
  await expect.poll(() => alice.storedRecords()).toBe(0)
})
