import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

test.use({ busyCores: true })

// TURN candidates only, and no TURN server: no direct path can open, so auto falls back to the relay.
test('with no direct path, a file still arrives intact once the link falls back to the relay', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'fallback.bin', 12 * MIB)
  const [alice, bob] = await users.loginWith({ ice: 'relay' }, 'alice', 'bob')
  await alice.pick(bob)
  await alice.sendFiles([file.path])

  const sent = alice.outgoing(file.name)
  const received = bob.incoming(file.name)
  // The direct attempt gets 5 s before the fallback.
  await expect(received.getByTestId('status')).toHaveText('Received', { timeout: 45_000 })
  await expect(sent.getByTestId('status')).toHaveText('Done')
  await expect(alice.linkBadge(bob)).toHaveText('relay')
  await expect(bob.linkBadge(alice)).toHaveText('relay')
  for (const row of [sent, received]) await expect(row.getByTestId('progress-text')).toHaveText('100%')
  expect(await bob.save(received)).toEqual({ name: file.name, sha256: file.sha256 })
})
