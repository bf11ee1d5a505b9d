import { expect, test } from '../support/fixtures'
import { MIB, writeRandomFile } from '../support/random-file'

test.use({ busyCores: true })

test('relay only: a message, a buffer and a file all arrive through the server, the file intact', async ({
  users,
  tempDir,
}) => {
  const file = await writeRandomFile(tempDir, 'relayed.bin', 24 * MIB)
  const [alice, bob] = await users.loginWith({ transport: 'relay' }, 'alice', 'bob')
  await expect(alice.page.getByTestId('link-mode')).toHaveText('Links: relay only')
  await alice.pick(bob)

  await alice.sendCmd('through the server')
  const message = bob.messages.filter({ hasText: 'through the server' })
  await expect(message.getByTestId('message-from')).toHaveText(alice.name)
  await expect(alice.messages.last().getByTestId('message-status')).toHaveText('Delivered')
  await expect(alice.linkBadge(bob)).toHaveText('relay')
  await expect(bob.linkBadge(alice)).toHaveText('relay')

  await alice.sendBuffer(6)
  await expect(bob.incoming('Buffer').getByTestId('status')).toHaveText('Received')
  await expect(alice.outgoing('Buffer').getByTestId('status')).toHaveText('Done')

  await alice.sendFiles([file.path])
  const sent = alice.outgoing(file.name)
  const received = bob.incoming(file.name)
  await expect(received.getByTestId('status')).toHaveText('Received', { timeout: 45_000 })
  await expect(sent.getByTestId('status')).toHaveText('Done')
  for (const row of [sent, received]) await expect(row.getByTestId('progress-text')).toHaveText('100%')
  expect(await bob.save(received)).toEqual({ name: file.name, sha256: file.sha256 })
  await expect(alice.linkBadge(bob)).toHaveText('relay')
})
