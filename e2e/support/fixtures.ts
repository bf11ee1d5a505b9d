import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect } from '@playwright/test'
import { DemoUser } from './demo-user'

type UsersOf<Names extends string[]> = { [K in keyof Names]: DemoUser }

export interface Users {
  /** Opens the demo in a fresh browser context per name and logs each in (names get a per-test suffix). */
  login<const Names extends string[]>(...names: Names): Promise<UsersOf<Names>>
  /** The same, with the demo opened at `query`, e.g. `{ transport: 'relay' }` for `?transport=relay`. */
  loginWith<const Names extends string[]>(query: Record<string, string>, ...names: Names): Promise<UsersOf<Names>>
}

export const test = base.extend<{ demoUrl: string; users: Users; tempDir: string }>({
  /** Where the demo page is: the one global-setup started, unless a spec overrides this to serve its own. */
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  demoUrl: async ({}, use) => {
    const url = process.env.FERRY_DEMO_URL
    if (!url) throw new Error('FERRY_DEMO_URL is not set: run the tests through playwright.config.ts')
    await use(url)
  },
  users: async ({ browser, demoUrl: url }, use, testInfo) => {
    // Every test logs in new names, so no presence from an earlier test shows up in this one.
    const suffix = `${testInfo.workerIndex}${testInfo.testId.slice(0, 6)}${testInfo.retry}`
    const opened: DemoUser[] = []
    const open = async (query: Record<string, string>, name: string) => {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
      const page = await context.newPage()
      const user = new DemoUser(`${name}-${suffix}`, context, page)
      opened.push(user)
      const address = new URL(url)
      for (const [key, value] of Object.entries(query)) address.searchParams.set(key, value)
      await page.goto(address.href)
      await user.login()
      return user
    }
    await use({
      async login<const Names extends string[]>(...names: Names) {
        return (await Promise.all(names.map((name) => open({}, name)))) as UsersOf<Names>
      },
      async loginWith<const Names extends string[]>(query: Record<string, string>, ...names: Names) {
        return (await Promise.all(names.map((name) => open(query, name)))) as UsersOf<Names>
      },
    })
    for (const user of opened) await user.context.close()
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  tempDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-e2e-'))
    await use(dir)
    await rm(dir, { recursive: true, force: true })
  },
})

export { expect }
