/**
 * Units: throughput in MB/s with MB = 1e6 bytes; memory in MiB (2^20 bytes), even where a field says
 * "MB" (the field names are the ones the benchmark issue asked for).
 */
export const BYTES_PER_MIB = 1024 * 1024

/** RSS sampling period during a timed transfer: short enough to catch a transient queue. */
export const RSS_SAMPLE_MS = 20

/** Largest RSS growth over a baseline, sampled every `RSS_SAMPLE_MS` between `start` and `stop`. */
export class RssSampler {
  #baseline = 0
  #peak = 0
  #timer: ReturnType<typeof setInterval> | undefined

  /** Takes the baseline. Call it after setup and after the source data is allocated. */
  start(): void {
    this.#baseline = process.memoryUsage.rss()
    this.#peak = this.#baseline
    this.#timer = setInterval(() => this.#sample(), RSS_SAMPLE_MS)
  }

  /** Stops sampling; returns peak minus baseline in MiB. */
  stop(): number {
    this.#sample()
    clearInterval(this.#timer)
    this.#timer = undefined
    return round((this.#peak - this.#baseline) / BYTES_PER_MIB, 1)
  }

  #sample(): void {
    const rss = process.memoryUsage.rss()
    if (rss > this.#peak) this.#peak = rss
  }
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

export function megabytesPerSecond(bytes: number, seconds: number): number {
  return round(bytes / 1e6 / seconds, 1)
}

/** Nearest-rank percentile (`p` in 0..100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]!
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Milliseconds on the system's monotonic clock (CLOCK_MONOTONIC, what `process.hrtime` reads): one
 * clock for every process on the machine, so a time taken in one process can be subtracted in another.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000
}
