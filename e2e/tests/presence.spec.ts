import { expect, test } from '../support/fixtures'

test('people appear in the list when they log in and leave it when they log out', async ({ users }) => {
  const [alice] = await users.login('alice')
  const [bob] = await users.login('bob')
  await expect(alice.peerButton(bob)).toHaveAttribute('data-online', 'true')
  await expect(bob.peerButton(alice)).toHaveAttribute('data-online', 'true')

  await bob.page.getByTestId('logout').click()
  await expect(alice.peerButton(bob)).toHaveCount(0)
  await expect(alice.page.getByTestId('no-peers')).toBeVisible()
})
