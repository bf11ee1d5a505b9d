import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'
import { holdSentData, PATIENT_LINKS } from '../support/sent-data-hold'
import { untilHeld } from '../support/until-held'

test.use({ busyCores: true })

const FILE_BYTES = 8 * MIB
/** The sender's data stops here, on whichever path it takes: well into the file, far from its end. */
const HOLD_AFTER_BYTES = 2 * MIB

const cases = [
  { canceller: 'sender', transport: 'auto' },
  { canceller: 'receiver', transport: 'auto' },
  { canceller: 'sender', transport: 'relay' },
  { canceller: 'receiver', transport: 'relay' },
] as const

for (const { canceller, transport } of cases) {
  const over = transport === 'relay' ? 'relay only: ' : ''
  test(`${over}the ${canceller} cancels mid-file: both ends show Cancelled and nothing stays stored`, async ({
    users,
    tempDir,
    relayHolds,
  }) => {
    const file = await writeRandomFile(tempDir, 'big.bin', FILE_BYTES)
    const links = transport === 'relay' ? { ...PATIENT_LINKS, transport } : PATIENT_LINKS
    const [alice, bob] = await users.loginWith(links, 'alice', 'bob')
    await alice.pick(bob)
    const hold = await holdSentData(alice, relayHolds, HOLD_AFTER_BYTES)
    await alice.sendFiles([file.path])

    // The file stands still mid-way: both ends saw bytes move, and the rest of it is held.
    const sent = alice.outgoing(file.name)
    const received = bob.incoming(file.name)
    await untilHeld(() => hold.heldFrames())
    await expect(sent.getByTestId('status')).toHaveText('Sending')
    await expect(received.getByTestId('status')).toHaveText('Receiving')
    const [mine, theirs] = canceller === 'sender' ? [sent, received] : [received, sent]
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
