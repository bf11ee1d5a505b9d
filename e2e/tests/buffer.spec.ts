import { expect, test } from '../support/fixtures'

test('a buffer of a chosen size arrives whole', async ({ users }) => {
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  await alice.sendBuffer(12)

  const received = bob.incoming('Buffer')
  await expect(received.getByTestId('status')).toHaveText('Received')
  await expect(received.getByTestId('progress-text')).toHaveText('100%')
  await expect(received).toContainText(`from ${alice.name} · 12 MiB`)
  const sent = alice.outgoing('Buffer')
  await expect(sent.getByTestId('status')).toHaveText('Done')
  await expect(sent.getByTestId('progress-text')).toHaveText('100%')
  await expect(sent).toContainText(`to ${bob.name} · 12 MiB`)
})
