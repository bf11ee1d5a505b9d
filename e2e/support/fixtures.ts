import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect } from '@playwright/test'
import { DemoUser } from './demo-user'

export interface Users {
  /** Opens the demo in a fresh browser context per name and logs each in (names get a per-test suffix). */
  login<const Names extends string[]>(...names: Names): Promise<{ [K in keyof Names]: DemoUser }>
}

export const test = base.extend<{ users: Users; tempDir: string }>({
  users: async ({ browser }, use, testInfo) => {
    const url = process.env.FERRY_DEMO_URL
    if (!url) throw new Error('FERRY_DEMO_URL is not set: run the tests through playwright.config.ts')
    // Every test logs in new names, so no presence from an earlier test shows up in this one.
    const suffix = `${testInfo.workerIndex}${testInfo.testId.slice(0, 6)}${testInfo.retry}`
    const opened: DemoUser[] = []
    await use({
      async login<const Names extends string[]>(...names: Names) {
        const users = await Promise.all(
          names.map(async (name) => {
            const context = await browser.newContext({ permissions: ['camera', 'microphone'] })
            const page = await context.newPage()
            const user = new DemoUser(`${name}-${suffix}`, context, page)
            opened.push(user)
            await page.goto(url)
            await user.login()
            return user
          }),
        )
        return users as { [K in keyof Names]: DemoUser }
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
