/**
 * Chromium <-> Chromium benchmark: a file sent through Ferry and through a raw RTCDataChannel with an
 * ideal sender, between two browser contexts of headless Chromium, alternating in the same run. One
 * JSON line on stdout; progress and a summary on stderr.
 *
 *   pnpm bench:browser [--size MiB] [--rounds N] [--impls raw,ferry,...] [--profile DIR] [--gc-every MS]
 *
 * `pnpm bench:browser` runs it in a network namespace with only loopback (packages/devkit/netns.mjs).
 * The page is served by Vite (browser/page/); Chromium is Debian's (CHROMIUM_PATH to override).
 */
import { mkdir } from 'node:fs/promises'
import { loadavg } from 'node:os'
import type { Browser } from 'playwright-core'
import { parseBrowserBenchArgs } from './browser/browser-args.js'
import { browserFileReport } from './browser/browser-report.js'
import { type BrowserRun, runBrowserPair } from './browser/browser-run.js'
import { launchChromium } from './browser/chromium.js'
import { type PageServer, startPageServer } from './browser/page-server.js'
import { argsOrExit, runBench } from './cli.js'
import { BYTES_PER_MIB, megabytesPerSecond, round } from './measure.js'

interface Signaling {
  url: string
  close(): Promise<void>
}

async function main(): Promise<void> {
  const args = argsOrExit(parseBrowserBenchArgs)
  if (process.env.FERRY_NETNS !== '1') {
    console.error(
      'warning: not inside a loopback-only network namespace (use `pnpm bench:browser`): WebRTC may route ' +
        'through a real interface, and the numbers will not compare with the reference ceilings',
    )
  }
  let signaling: Signaling | undefined
  let pageServer: PageServer | undefined
  let browser: Browser | undefined
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`)
    void Promise.allSettled([browser?.close(), pageServer?.close(), signaling?.close()]).then(() => process.exit(130))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  try {
    const { createSignalingServer } = await import('@ferry/signaling')
    signaling = await createSignalingServer({ port: 0 })
    pageServer = await startPageServer()
    browser = await launchChromium()
    console.error(`signaling at ${signaling.url}, bench page at ${pageServer.url}, Chromium ${browser.version()}`)
    const sizeBytes = Math.round(args.sizeMiB * BYTES_PER_MIB)
    console.error(
      `browser file: ${round(sizeBytes / BYTES_PER_MIB, 3)} MiB, ${args.rounds} round(s) of ${args.impls.join(', ')}`,
    )
    if (args.profileDir) await mkdir(args.profileDir, { recursive: true })
    const config = {
      browser,
      pageUrl: pageServer.url,
      signalingUrl: signaling.url,
      sizeBytes,
      profileDir: args.profileDir,
      gcEveryMs: args.gcEveryMs,
    }
    const runs: BrowserRun[] = []
    let index = 0
    for (let roundNo = 0; roundNo < args.rounds; roundNo++) {
      for (const impl of args.impls) {
        index++
        const run = await runBrowserPair(impl, index, config)
        console.error(
          `  ${impl} run ${index}: ${megabytesPerSecond(sizeBytes, run.seconds)} MB/s, JS heap growth ` +
            `sender ${run.sender.heapMiB} MiB (ArrayBuffers ${run.sender.arrayBufferMiB}), ` +
            `receiver ${run.receiver.heapMiB} MiB (ArrayBuffers ${run.receiver.arrayBufferMiB})` +
            retained(run) +
            // Other work on the machine slows Chromium: a high load makes this run's numbers suspect.
            `; load average ${round(loadavg()[0]!, 1)}`,
        )
        for (const line of run.profile ?? []) console.error(`    ${line}`)
        runs.push(run)
      }
    }
    const report = browserFileReport(sizeBytes, runs, args.gcEveryMs)
    console.log(JSON.stringify(report.line))
    console.error(report.summary)
  } finally {
    await browser?.close().catch(() => {})
    await pageServer?.close().catch(() => {})
    await signaling?.close().catch(() => {})
  }
}

function retained(run: BrowserRun): string {
  if (run.sender.retainedMiB === undefined || run.receiver.retainedMiB === undefined) return ''
  return `; retained after forced GCs: sender ${run.sender.retainedMiB} MiB, receiver ${run.receiver.retainedMiB} MiB`
}

runBench(main)
