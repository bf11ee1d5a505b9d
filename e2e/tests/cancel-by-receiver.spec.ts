import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

test('the receiver cancels mid-file: both ends show Cancelled and nothing stays stored', async ({ users, tempDir }) => {
  // Large enough to still be moving when the first progress shows (about 3 s at loopback speed).
  const file = await writeRandomFile(tempDir, 'big.bin', 64 * MIB)
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  await alice.sendFiles([file.path])

  const sent = alice.outgoing(file.name)
  const received = bob.incoming(file.name)
  await expect(received.getByTestId('status')).toHaveText('Receiving')
  await received.getByTestId('cancel').click()

  await expect(received.getByTestId('status')).toHaveText('Cancelled')
  await expect(sent.getByTestId('status')).toHaveText('Cancelled')
  await expect(received.getByTestId('progress-text')).not.toHaveText('100%')
  await expect(sent.getByTestId('cancel')).toHaveCount(0)
  await expect.poll(() => bob.storedRecords()).toBe(0)
  await expect.poll(() => alice.storedRecords()).toBe(0)
})
