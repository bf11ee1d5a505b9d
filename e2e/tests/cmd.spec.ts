import { expect, test } from '../support/fixtures'

test('a message reaches the picked user, and the sender sees it delivered', async ({ users }) => {
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)
  await alice.sendCmd('Hello Bob, ça va? 👋')

  const received = bob.messages.filter({ hasText: 'Hello Bob, ça va? 👋' })
  await expect(received.getByTestId('message-from')).toHaveText(alice.name)
  await expect(alice.messages.last().getByTestId('message-status')).toHaveText('Delivered')
})
