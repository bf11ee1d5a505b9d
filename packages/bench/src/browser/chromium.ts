import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core'
import type { PageApi } from './page/page-api.js'

/** Debian's Chromium; no browser download works on these machines. */
const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'

const CHROMIUM_FLAGS = [
  // Offer 127.0.0.1 candidates (the only address in the bench's network namespace), not mDNS names.
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  // Together with the granted media permission, Chromium then exposes host candidates.
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Exact heap figures for performance.memory (the bench samples CDP's Runtime.getHeapUsage).
  '--enable-precise-memory-info',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  // No connections to the outside: the machine's network is closed and would refuse them.
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Most milliseconds a page may take to load the bench module (Vite transforms it on first request). */
const PAGE_READY_TIMEOUT_MS = 60_000

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
  })
}

type Method = keyof PageApi

/** One side of one run: a fresh browser context (so nothing of an earlier run's heap carries over) with one bench page. */
export class BenchPage {
  private constructor(
    readonly name: string,
    private readonly context: BrowserContext,
    readonly page: Page,
    readonly cdp: CDPSession,
  ) {}

  static async open(browser: Browser, url: string, name: string): Promise<BenchPage> {
    const context = await browser.newContext()
    try {
      // Without a media permission Chromium hides host candidates, and no direct path forms.
      await context.grantPermissions(['camera', 'microphone'])
      const page = await context.newPage()
      page.on('pageerror', (error) => console.error(`  [${name}] page error: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          console.error(`  [${name}] console ${message.type()}: ${message.text()}`)
        }
      })
      await page.goto(url)
      await page.waitForFunction(() => window.ferryBench !== undefined, undefined, { timeout: PAGE_READY_TIMEOUT_MS })
      return new BenchPage(name, context, page, await context.newCDPSession(page))
    } catch (error) {
      await context.close().catch(() => {})
      throw error
    }
  }

  /** Calls `window.ferryBench[method](...args)` in the page. */
  call<K extends Method>(method: K, ...args: Parameters<PageApi[K]>): Promise<Awaited<ReturnType<PageApi[K]>>> {
    return this.page.evaluate(
      ([name, values]) => (window.ferryBench[name] as (...rest: unknown[]) => unknown)(...values),
      [method, args] as [Method, unknown[]],
    ) as Promise<Awaited<ReturnType<PageApi[K]>>>
  }

  close(): Promise<void> {
    return this.context.close()
  }
}
