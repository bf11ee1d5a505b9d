import type { CDPSession } from 'playwright-core'
import { BYTES_PER_MIB, round } from '../measure.js'

/** Heap sampling period during a timed transfer: short enough to catch a transient queue. */
const HEAP_SAMPLE_MS = 50

interface HeapUsage {
  usedSize: number
  embedderHeapUsedSize?: number
  backingStorageSize?: number
}

interface Reading {
  total: number
  arrayBuffers: number
}

export interface HeapGrowth {
  /** Peak minus baseline of everything JS holds, as `performance.memory.usedJSHeapSize` counts it, in MiB. */
  heapMiB: number
  /** The ArrayBuffer backing stores within it (bytes received or read and not yet collected), in MiB. */
  arrayBufferMiB: number
  /** With forced GCs only: peak minus baseline right after a GC, i.e. what is really held, in MiB. */
  retainedMiB?: number
}

/**
 * Largest JS heap growth of one page over a baseline, sampled through CDP (`Runtime.getHeapUsage`) every
 * HEAP_SAMPLE_MS. "Heap" is V8's heap plus the embedder's plus ArrayBuffer backing stores: what
 * `performance.memory.usedJSHeapSize` reports. Blob contents live in the browser process and are not in
 * it. V8 frees an ArrayBuffer's memory only when it collects garbage, so the peak includes chunks that
 * are already let go; `gcEveryMs` forces a GC that often, and the samples right after tell what is retained.
 */
export class HeapSampler {
  private baseline: Reading = { total: 0, arrayBuffers: 0 }
  private peak: Reading = { total: 0, arrayBuffers: 0 }
  private retainedPeak = 0
  private lastGcAt = 0
  private timer: ReturnType<typeof setInterval> | undefined
  private pending: Promise<void> | undefined

  constructor(
    private readonly cdp: CDPSession,
    private readonly gcEveryMs = 0,
  ) {}

  /** Collects garbage, then takes the baseline. Call it after the source exists and the path is open. */
  async start(): Promise<void> {
    await this.cdp.send('HeapProfiler.collectGarbage')
    this.lastGcAt = Date.now()
    this.baseline = await this.read()
    this.peak = { ...this.baseline }
    this.retainedPeak = this.baseline.total
    this.timer = setInterval(() => {
      this.pending ??= this.sample().finally(() => {
        this.pending = undefined
      })
    }, HEAP_SAMPLE_MS)
  }

  /** Stops sampling; returns the growth of the peaks over the baseline. */
  async stop(): Promise<HeapGrowth> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.pending
    await this.sample()
    const growth: HeapGrowth = {
      heapMiB: mib(this.peak.total - this.baseline.total),
      arrayBufferMiB: mib(this.peak.arrayBuffers - this.baseline.arrayBuffers),
    }
    if (this.gcEveryMs > 0) growth.retainedMiB = mib(this.retainedPeak - this.baseline.total)
    return growth
  }

  private async sample(): Promise<void> {
    try {
      const collect = this.gcEveryMs > 0 && Date.now() - this.lastGcAt >= this.gcEveryMs
      if (collect) {
        // The reading before the GC still counts towards the unforced peak.
        this.record(await this.read())
        await this.cdp.send('HeapProfiler.collectGarbage')
        this.lastGcAt = Date.now()
      }
      const now = await this.read()
      this.record(now)
      if (collect) this.retainedPeak = Math.max(this.retainedPeak, now.total)
    } catch {
      // The page is closing: the samples so far stand.
    }
  }

  private record(now: Reading): void {
    this.peak.total = Math.max(this.peak.total, now.total)
    this.peak.arrayBuffers = Math.max(this.peak.arrayBuffers, now.arrayBuffers)
  }

  private async read(): Promise<Reading> {
    const usage = (await this.cdp.send('Runtime.getHeapUsage')) as HeapUsage
    const arrayBuffers = usage.backingStorageSize ?? 0
    return { total: usage.usedSize + (usage.embedderHeapUsedSize ?? 0) + arrayBuffers, arrayBuffers }
  }
}

function mib(bytes: number): number {
  return round(bytes / BYTES_PER_MIB, 1)
}
