import type { Browser } from 'playwright-core'
import { BYTES_PER_MIB, round } from '../measure.js'
import type { BrowserImpl } from './browser-args.js'
import { BenchPage } from './chromium.js'
import { CpuProfile } from './cpu-profile.js'
import { type HeapGrowth, HeapSampler } from './heap-sampler.js'

/** Slowest transfer rate a run may have before it counts as stuck, in bytes per second. */
const STUCK_BYTES_PER_SECOND = 1e6

/** Time for setup and for verifying beyond the transfer itself, in ms. */
const RUN_SLACK_MS = 120_000

export interface BrowserRunConfig {
  browser: Browser
  pageUrl: string
  signalingUrl: string
  sizeBytes: number
  profileDir: string | undefined
  gcEveryMs: number
}

export interface BrowserRun {
  impl: BrowserImpl
  seconds: number
  sender: HeapGrowth
  receiver: HeapGrowth
  /** With `profileDir`: where each page's main thread spent the transfer. */
  profile?: string[]
}

/**
 * One timed file transfer between two fresh browser contexts: the sender page builds a random Blob,
 * the path opens (raw: one RTCDataChannel; Ferry: login and a warm-up cmd), heap baselines are taken
 * on both pages after a GC, then the file goes across. Afterwards the receiver's hash, and a second
 * hash of the delivered Blob read back, must equal the source's; anything else throws.
 */
export async function runBrowserPair(impl: BrowserImpl, index: number, config: BrowserRunConfig): Promise<BrowserRun> {
  const pages: BenchPage[] = []
  const timeoutMs = RUN_SLACK_MS + (config.sizeBytes / STUCK_BYTES_PER_SECOND) * 1000
  try {
    return await withTimeout(
      timedTransfer(impl, index, config, pages),
      timeoutMs,
      `${impl} run ${index} (${round(config.sizeBytes / BYTES_PER_MIB, 3)} MiB)`,
    )
  } finally {
    await Promise.all(pages.map((page) => page.close().catch(() => {})))
  }
}

/** The run itself; pushes the pages it opens onto `pages` for the caller to close. */
async function timedTransfer(
  impl: BrowserImpl,
  index: number,
  config: BrowserRunConfig,
  pages: BenchPage[],
): Promise<BrowserRun> {
  const { browser, pageUrl, sizeBytes } = config
  const sender = await BenchPage.open(browser, pageUrl, `${impl} sender`)
  pages.push(sender)
  const receiver = await BenchPage.open(browser, pageUrl, `${impl} receiver`)
  pages.push(receiver)
  const source = await sender.call('makeSource', sizeBytes)
  const receiverId = `receiver-${index}`
  const raw = impl === 'raw' || impl === 'raw-unhashed'
  const hashed = impl !== 'raw-unhashed'
  if (raw) {
    const offer = await sender.call('rawOffer')
    const answer = await receiver.call('rawAnswer', offer, sizeBytes, hashed)
    await sender.call('rawAccept', answer)
    await receiver.call('rawOpened')
  } else {
    const storage = impl === 'ferry' ? 'indexeddb' : 'memory'
    await receiver.call('ferryConnect', config.signalingUrl, receiverId, storage)
    await sender.call('ferryConnect', config.signalingUrl, `sender-${index}`, storage)
    await sender.call('ferryWarmUp', receiverId)
  }

  const heaps = [new HeapSampler(sender.cdp, config.gcEveryMs), new HeapSampler(receiver.cdp, config.gcEveryMs)]
  const profiles = config.profileDir ? [new CpuProfile(sender.cdp), new CpuProfile(receiver.cdp)] : []
  await Promise.all(heaps.map((heap) => heap.start()))
  await Promise.all(profiles.map((profile) => profile.start()))
  const received = receiver.call('received')
  received.catch(() => {})
  const sent = await (raw ? sender.call('rawSend', hashed) : sender.call('ferrySend', receiverId))
  const info = await received
  const [senderGrowth, receiverGrowth] = await Promise.all(heaps.map((heap) => heap.stop()))
  const profile = await Promise.all(
    profiles.map((p, i) => p.stop(config.profileDir!, `${impl}-run${index}-${i === 0 ? 'sender' : 'receiver'}`)),
  )

  if (info.size !== sizeBytes || (hashed && info.sha256 !== source.sha256)) {
    throw new Error(
      `${impl} run ${index}: received ${info.size} bytes with sha256 ${info.sha256}, ` +
        `sent ${sizeBytes} with ${source.sha256}`,
    )
  }
  const reread = await receiver.call('rehashReceived')
  if (reread !== source.sha256) {
    throw new Error(`${impl} run ${index}: the delivered Blob hashes to ${reread}, the source to ${source.sha256}`)
  }
  const run: BrowserRun = { impl, seconds: sent.seconds, sender: senderGrowth!, receiver: receiverGrowth! }
  if (profile.length > 0) run.profile = profile
  return run
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
