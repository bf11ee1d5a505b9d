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

test('a picked user who left the lobby stays listed while online, and shows offline once gone', async ({ users }) => {
  const [alice, bob, carol] = await users.login('alice', 'bob', 'carol')
  await alice.pick(bob)
  await expect(alice.peerButton(carol)).toHaveAttribute('data-online', 'true')

  for (const user of [bob, carol]) await user.leaveLobby()
  // Carol, not picked, drops out of the list; bob, picked and followed, is still there and online.
  await expect(alice.peerButton(carol)).toHaveCount(0)
  await expect(alice.peerButton(bob)).toHaveAttribute('data-online', 'true')

  await bob.page.getByTestId('logout').click()
  await expect(alice.peerButton(bob)).toHaveAttribute('data-online', 'false')
  await expect(alice.peerButton(bob)).toContainText('offline')
})

test('after a reconnect the list shows who is here now', async ({ users }) => {
  const [alice, bob] = await users.login('alice', 'bob')
  await expect(alice.peerButton(bob)).toHaveAttribute('data-online', 'true')

  await alice.dropConnection()
  await expect(bob.peerButton(alice)).toHaveCount(0)
  // While alice is away, bob leaves and carol comes: alice hears of neither.
  await bob.page.getByTestId('logout').click()
  const [carol] = await users.login('carol')
  await expect(carol.page.getByTestId('no-peers')).toBeVisible()

  await alice.reconnect()
  await expect(alice.peerButton(carol)).toHaveAttribute('data-online', 'true')
  await expect(alice.peerButton(bob)).toHaveCount(0)
  await expect(carol.peerButton(alice)).toHaveAttribute('data-online', 'true')
})
