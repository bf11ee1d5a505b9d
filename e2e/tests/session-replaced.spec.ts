import { expect, test } from '../support/fixtures'

test('logging in with the same name elsewhere signs the first tab out, saying why', async ({ users, browser }) => {
  const [alice] = await users.login('alice')
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
  try {
    const second = await context.newPage()
    await second.goto(alice.page.url())
    await second.getByTestId('login-name').fill(alice.name)
    await second.getByTestId('login-button').click()
    await expect(second.getByTestId('me')).toHaveText(alice.name)

    await expect(alice.page.getByTestId('login-error')).toHaveText('You logged in with this name somewhere else')
    await expect(alice.page.getByTestId('login-button')).toBeEnabled()
  } finally {
    await context.close()
  }
})
