import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSignalingServer } from '@ferry/signaling'
import { createServer } from 'vite'

/**
 * The relay's per-user rate in these tests: slow enough that a person's click on Cancel lands while a
 * relayed file of 128 MiB is still under way (about 8 s), fast enough to keep the relay specs short.
 * Each client paces itself to the rate the server announces, so this is what relayed transfers get.
 */
const RELAY_BYTES_PER_SECOND = 16 * 1024 * 1024

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo')

/**
 * Starts the signaling server and the demo's Vite dev server on free ports, once for the whole run,
 * and tells the tests where the page is (FERRY_DEMO_URL). The returned function stops both.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const signaling = await createSignalingServer({ port: 0, relayBytesPerSecond: RELAY_BYTES_PER_SECOND })
  process.env.FERRY_SIGNALING_URL = signaling.url
  process.env.FERRY_DEMO_PORT = '0'
  process.env.FERRY_DEMO_LOG_LEVEL = 'warn'
  const vite = await createServer({
    root: DEMO,
    configFile: join(DEMO, 'vite.config.ts'),
    // Its own cache, so a dev server started by `npm start` at the same time is not disturbed.
    cacheDir: join(DEMO, 'node_modules', '.vite-e2e'),
    // A library file saved during a run must not reload the pages under test.
    server: { hmr: false, watch: null },
    clearScreen: false,
  })
  try {
    await vite.listen()
    const { port } = vite.httpServer!.address() as AddressInfo
    const url = `http://127.0.0.1:${port}`
    process.env.FERRY_DEMO_URL = url
    await warmUp(url)
  } catch (error) {
    await vite.close()
    await signaling.close()
    throw error
  }
  return async () => {
    await vite.close()
    await signaling.close()
  }
}

/** Fetches the page's entry once, so the first test does not wait for Vite to bundle the dependencies. */
async function warmUp(url: string): Promise<void> {
  const page = await fetch(url)
  if (!page.ok) throw new Error(`the demo page answered ${page.status}`)
  const entry = await fetch(`${url}/src/main.ts`)
  if (!entry.ok) throw new Error(`the demo's entry answered ${entry.status}`)
}
