import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

/**
 * Files large enough to still be moving when the first progress shows: about 3 s on a data channel;
 * the relay (throttled in these tests) is slower, so the click lands there even on a busy machine.
 */
const cases = [
  { canceller: 'sender', transport: 'auto', size: 64 * MIB },
  { canceller: 'receiver', transport: 'auto', size: 64 * MIB },
  { canceller: 'sender', transport: 'relay', size: 128 * MIB },
] as const

for (const { canceller, transport, size } of cases) {
  const over = transport === 'relay' ? 'relay only: ' : ''
  test(`${over}the ${canceller} cancels mid-file: both ends show Cancelled and nothing stays stored`, async ({
    users,
    tempDir,
  }) => {
    const file = await writeRandomFile(tempDir, 'big.bin', size)
    const [alice, bob] =
      transport === 'relay' ? await users.loginWith({ transport }, 'alice', 'bob') : await users.login('alice', 'bob')
    await alice.pick(bob)
    await alice.sendFiles([file.path])

    const sent = alice.outgoing(file.name)
    const received = bob.incoming(file.name)
    const [mine, theirs] = canceller === 'sender' ? [sent, received] : [received, sent]
    await expect(mine.getByTestId('status')).toHaveText(canceller === 'sender' ? 'Sending' : 'Receiving')
    await mine.getByTestId('cancel').click()

    for (const row of [sent, received]) {
      await expect(row.getByTestId('status')).toHaveText('Cancelled')
      await expect(row.getByTestId('progress-text')).not.toHaveText('100%')
    }
    await expect(theirs.getByTestId('cancel')).toHaveCount(0)
    await expect.poll(() => bob.storedRecords()).toBe(0)
    await expect.poll(() => alice.storedRecords()).toBe(0)
    if (transport === 'relay') {
      await expect(alice.linkBadge(bob)).toHaveText('relay')
      await expect(bob.linkBadge(alice)).toHaveText('relay')
    }
  })
}
