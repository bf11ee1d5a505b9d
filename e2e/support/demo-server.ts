import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo')

/** A running demo page. */
export interface DemoPage {
  url: string
  close(): Promise<void>
}

/**
 * Serves the demo page with Vite's dev server on a free port, forwarding `/socket.io` and `/media/` to
 * `signalingUrl` (the demo's vite.config.ts reads FERRY_SIGNALING_URL while it loads). `cacheDir`, a
 * directory name under demo/node_modules, keeps each server's pre-bundled dependencies apart, so one
 * never rewrites them under another (nor under a dev server started by `npm start`).
 */
export async function startDemoPage(signalingUrl: string, cacheDir: string): Promise<DemoPage> {
  const saved = process.env.FERRY_SIGNALING_URL
  process.env.FERRY_SIGNALING_URL = signalingUrl
  process.env.FERRY_DEMO_PORT = '0'
  process.env.FERRY_DEMO_LOG_LEVEL = 'warn'
  const vite = await createServer({
    root: DEMO,
    configFile: join(DEMO, 'vite.config.ts'),
    cacheDir: join(DEMO, 'node_modules', cacheDir),
    // A library file saved during a run must not reload the pages under test.
    server: { hmr: false, watch: null },
    clearScreen: false,
  }).finally(() => {
    if (saved === undefined) delete process.env.FERRY_SIGNALING_URL
    else process.env.FERRY_SIGNALING_URL = saved
  })
  try {
    await vite.listen()
    const { port } = vite.httpServer!.address() as AddressInfo
    const url = `http://127.0.0.1:${port}`
    await warmUp(url)
    return { url, close: () => vite.close() }
  } catch (error) {
    await vite.close()
    throw error
  }
}

/** Fetches the page's entry once, so the first test does not wait for Vite to bundle the dependencies. */
async function warmUp(url: string): Promise<void> {
  const page = await fetch(url)
  if (!page.ok) throw new Error(`the demo page answered ${page.status}`)
  const entry = await fetch(`${url}/src/main.ts`)
  if (!entry.ok) throw new Error(`the demo's entry answered ${entry.status}`)
}
