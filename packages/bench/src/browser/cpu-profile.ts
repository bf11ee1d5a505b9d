import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CDPSession } from 'playwright-core'
import { round } from '../measure.js'

/** Profiler sampling interval, in microseconds: fine enough for 10 ms-scale chunk handling. */
const SAMPLE_INTERVAL_US = 500

/** Functions listed per page in the summary, by self time. */
const TOP_FUNCTIONS = 8

type Profile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  samples?: number[]
  timeDeltas?: number[]
  startTime: number
  endTime: number
}

/** A V8 CPU profile of one page's main thread (WebRTC's own threads are not in it). */
export class CpuProfile {
  constructor(private readonly cdp: CDPSession) {}

  async start(): Promise<void> {
    await this.cdp.send('Profiler.enable')
    await this.cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_INTERVAL_US })
    await this.cdp.send('Profiler.start')
  }

  /** Stops, writes `<name>.cpuprofile` into `dir`, and returns a few lines on where the time went. */
  async stop(dir: string, name: string): Promise<string> {
    const { profile } = (await this.cdp.send('Profiler.stop')) as { profile: Profile }
    const path = join(dir, `${name}.cpuprofile`)
    await writeFile(path, JSON.stringify(profile))
    return `${name}: ${summarize(profile)}\n      (${path})`
  }
}

/** Busy share of the main thread and the functions with the most self time. */
function summarize(profile: Profile): string {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const selfUs = new Map<string, number>()
  let idleUs = 0
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next one.
    const us = deltas[i + 1] ?? 0
    const frame = frames.get(samples[i]!)
    if (!frame) continue
    if (frame.functionName === '(idle)') {
      idleUs += us
      continue
    }
    const file = frame.url ? frame.url.replace(/^.*\//, '').replace(/\?.*$/, '') : ''
    const key = file ? `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}` : frame.functionName
    selfUs.set(key, (selfUs.get(key) ?? 0) + us)
  }
  const wallUs = profile.endTime - profile.startTime
  const busyUs = wallUs - idleUs
  const top = [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_FUNCTIONS)
    .map(([key, us]) => `${key} ${round(us / 1000, 0)} ms`)
  return (
    `main thread busy ${round(busyUs / 1000, 0)} of ${round(wallUs / 1000, 0)} ms ` +
    `(${round((100 * busyUs) / wallUs, 1)} %); self time: ${top.join(', ')}`
  )
}
