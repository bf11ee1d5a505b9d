import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'
import { holdSentData, PATIENT_LINKS } from '../support/sent-data-hold'
import { untilHeld } from '../support/until-held'

test.use({ busyCores: true })

const FILE_BYTES = 8 * MIB
/** The sender's data stops here, so the tab closes while the file is surely still under way. */
const HOLD_AFTER_BYTES = 2 * MIB

test('the receiver closes the tab mid-file: the sender shows it disconnected', async ({
  users,
  tempDir,
  relayHolds,
}) => {
  const file = await writeRandomFile(tempDir, 'big.bin', FILE_BYTES)
  const [alice, bob] = await users.loginWith(PATIENT_LINKS, 'alice', 'bob')
  await alice.pick(bob)
  const hold = await holdSentData(alice, relayHolds, HOLD_AFTER_BYTES)
  await alice.sendFiles([file.path])

  const sent = alice.outgoing(file.name)
  await untilHeld(() => hold.heldFrames())
  await expect(bob.incoming(file.name).getByTestId('status')).toHaveText('Receiving')
  await expect(sent.getByTestId('status')).toHaveText('Sending')
  await bob.page.close()

  await expect(sent.getByTestId('status')).toHaveText(`${bob.name} disconnected`)
  await expect(sent).toHaveAttribute('data-state', 'failed')
  await expect(alice.peerButton(bob)).toHaveAttribute('data-online', 'false')
})
