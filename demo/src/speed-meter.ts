/** How far back the speed looks: long enough to smooth bursts of acks, short enough to follow changes. */
const WINDOW_MS = 2000

interface Sample {
  at: number
  bytes: number
}

/** Speed and time left of one transfer, from its progress reports. */
export class SpeedMeter {
  private readonly startedAt = performance.now()
  private samples: Sample[] = [{ at: this.startedAt, bytes: 0 }]

  add(bytes: number, at = performance.now()): void {
    this.samples.push({ at, bytes })
    while (this.samples.length > 2 && at - this.samples[1]!.at >= WINDOW_MS) this.samples.shift()
  }

  /** Bytes per second over the recent window; undefined until there is something to measure. */
  get bytesPerSecond(): number | undefined {
    const first = this.samples[0]!
    const last = this.samples[this.samples.length - 1]!
    const seconds = (last.at - first.at) / 1000
    if (seconds <= 0 || last.bytes <= first.bytes) return undefined
    return (last.bytes - first.bytes) / seconds
  }

  secondsLeft(total: number): number | undefined {
    const speed = this.bytesPerSecond
    const last = this.samples[this.samples.length - 1]!
    return speed ? (total - last.bytes) / speed : undefined
  }

  /** Average speed from the start to the last report. */
  averageBytesPerSecond(): number | undefined {
    const last = this.samples[this.samples.length - 1]!
    const seconds = (last.at - this.startedAt) / 1000
    return seconds > 0 && last.bytes > 0 ? last.bytes / seconds : undefined
  }

  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000
  }
}
