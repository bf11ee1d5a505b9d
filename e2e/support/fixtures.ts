import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSignalingServer } from '@ferry/signaling'
import { test as base, expect } from '@playwright/test'
import { type CpuHog, startCpuHog } from './cpu-hog'
import { startDemoPage } from './demo-server'
import { DemoUser } from './demo-user'
import { RelayHolds } from './relay-hold'

type UsersOf<Names extends string[]> = { [K in keyof Names]: DemoUser }

export interface Users {
  /** Opens the demo in a fresh browser context per name and logs each in (names get a per-test suffix). */
  login<const Names extends string[]>(...names: Names): Promise<UsersOf<Names>>
  /** The same, with the demo opened at `query`, e.g. `{ transport: 'relay' }` for `?transport=relay`. */
  loginWith<const Names extends string[]>(query: Record<string, string>, ...names: Names): Promise<UsersOf<Names>>
}

/** The signaling server and the demo page in front of it, one pair per worker process. */
interface Ferry {
  demoUrl: string
  relayHolds: RelayHolds
}

interface TestFixtures {
  /** Where the demo page is: the worker's, unless a spec overrides this to serve its own. */
  demoUrl: string
  users: Users
  tempDir: string
  /** Holds relayed data in the worker's server until a test releases it; nothing held after the test. */
  relayHolds: RelayHolds
  /**
   * Option: `test.use({ busyCores: true })` keeps every core busy for the whole of each test of a spec
   * (`cpuHog`), for the specs that must hold on a loaded machine; such a test is marked slow.
   */
  busyCores: boolean
  cpuHog: CpuHog | undefined
}

/** Starting Vite and pre-bundling the demo's dependencies the first time can take a while on a busy machine. */
const FERRY_START_TIMEOUT_MS = 120_000

export const test = base.extend<TestFixtures, { ferry: Ferry }>({
  /**
   * Starts the signaling server (with its defaults: relay on, a media store in a temporary directory)
   * and the demo's Vite dev server on free ports, once per worker, in the worker: tests reach the server
   * itself (`relayHolds`). Each parallel worker keeps its own pre-bundled dependencies.
   */
  ferry: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use, workerInfo) => {
      const signaling = await createSignalingServer({ port: 0 })
      try {
        const relayHolds = new RelayHolds(signaling.io)
        const demo = await startDemoPage(signaling.url, `.vite-e2e-${workerInfo.parallelIndex}`)
        try {
          await use({ demoUrl: demo.url, relayHolds })
        } finally {
          await demo.close()
        }
      } finally {
        await signaling.close()
      }
    },
    { scope: 'worker', timeout: FERRY_START_TIMEOUT_MS },
  ],
  demoUrl: async ({ ferry }, use) => {
    await use(ferry.demoUrl)
  },
  relayHolds: async ({ ferry }, use) => {
    try {
      await use(ferry.relayHolds)
    } finally {
      ferry.relayHolds.clear()
    }
  },
  busyCores: [false, { option: true }],
  cpuHog: [
    async ({ busyCores }, use, testInfo) => {
      if (!busyCores) {
        await use(undefined)
        return
      }
      // Everything takes longer on a busy machine: the test's time bound triples; nothing in it races.
      testInfo.slow()
      const hog = await startCpuHog()
      try {
        await use(hog)
      } finally {
        await hog.stop()
      }
    },
    { auto: true },
  ],
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
