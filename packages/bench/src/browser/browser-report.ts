import { BYTES_PER_MIB, megabytesPerSecond, round } from '../measure.js'
import { maxOfImpl, show, verdict } from '../report-text.js'
import type { BrowserImpl } from './browser-args.js'
import type { BrowserRun } from './browser-run.js'

/** The targets: Ferry within 5 % of the raw ideal sender (Chromium itself is the ceiling)... */
const TARGET_MIN_RATIO = 0.95
/** ...and JS heap growth on either side under 64 MiB. */
const TARGET_MAX_HEAP_GROWTH_MIB = 64

export interface BrowserCaseReport {
  /** One JSON object, printed as one line on stdout. */
  line: Record<string, unknown>
  /** Human summary for stderr. */
  summary: string
}

/**
 * The best MB/s of each side, Ferry's worst heap growth over its runs (and raw's alongside), and every
 * run in order. Heap figures are MiB (see `measure.ts` and `heap-sampler.ts`). The diagnostic sides,
 * when run, add their best MB/s.
 */
export function browserFileReport(sizeBytes: number, runs: BrowserRun[], gcEveryMs: number): BrowserCaseReport {
  const most = (impl: BrowserImpl, value: (run: BrowserRun) => number) => maxOfImpl(runs, impl, value)
  const mbps = (run: BrowserRun) => megabytesPerSecond(sizeBytes, run.seconds)
  const ferryMBps = most('ferry', mbps)
  const rawMBps = most('raw', mbps)
  const ferryMemoryMBps = most('ferry-memory', mbps)
  const rawUnhashedMBps = most('raw-unhashed', mbps)
  const ratio = ferryMBps !== null && rawMBps !== null ? round(ferryMBps / rawMBps, 3) : null
  const line: Record<string, unknown> = {
    case: 'browser-file',
    ferryMBps,
    rawMBps,
    ratio,
    senderHeapGrowthMB: most('ferry', (run) => run.sender.heapMiB),
    receiverHeapGrowthMB: most('ferry', (run) => run.receiver.heapMiB),
    rawSenderHeapGrowthMB: most('raw', (run) => run.sender.heapMiB),
    rawReceiverHeapGrowthMB: most('raw', (run) => run.receiver.heapMiB),
    sizeMiB: round(sizeBytes / BYTES_PER_MIB, 3),
  }
  if (ferryMemoryMBps !== null) line.ferryMemoryMBps = ferryMemoryMBps
  if (rawUnhashedMBps !== null) line.rawUnhashedMBps = rawUnhashedMBps
  if (gcEveryMs > 0) line.gcEveryMs = gcEveryMs
  line.runs = runs.map((run) => ({
    impl: run.impl,
    MBps: mbps(run),
    seconds: round(run.seconds, 3),
    senderHeapGrowthMB: run.sender.heapMiB,
    receiverHeapGrowthMB: run.receiver.heapMiB,
    senderArrayBufferGrowthMB: run.sender.arrayBufferMiB,
    receiverArrayBufferGrowthMB: run.receiver.arrayBufferMiB,
    ...(run.sender.retainedMiB !== undefined ? { senderRetainedMB: run.sender.retainedMiB } : {}),
    ...(run.receiver.retainedMiB !== undefined ? { receiverRetainedMB: run.receiver.retainedMiB } : {}),
  }))

  const parts = [
    `browser file ${line.sizeMiB} MiB: Ferry ${show(ferryMBps, ' MB/s')}, raw ${show(rawMBps, ' MB/s')}` +
      (ferryMemoryMBps !== null ? `, Ferry storing in memory ${ferryMemoryMBps} MB/s` : '') +
      (rawUnhashedMBps !== null ? `, raw unhashed ${rawUnhashedMBps} MB/s` : '') +
      ' (best of each)',
  ]
  if (ratio !== null) {
    parts.push(`ratio ${ratio} (target >= ${TARGET_MIN_RATIO}: ${verdict(ratio >= TARGET_MIN_RATIO)})`)
  }
  for (const impl of ['ferry', 'raw', 'ferry-memory', 'raw-unhashed'] as const) {
    const sender = most(impl, (run) => run.sender.heapMiB)
    const receiver = most(impl, (run) => run.receiver.heapMiB)
    if (sender === null || receiver === null) continue
    const met = sender < TARGET_MAX_HEAP_GROWTH_MIB && receiver < TARGET_MAX_HEAP_GROWTH_MIB
    let text =
      `${impl} JS heap growth: sender ${sender} MiB, receiver ${receiver} MiB` +
      ` (target < ${TARGET_MAX_HEAP_GROWTH_MIB} MiB: ${verdict(met)})`
    if (gcEveryMs > 0) {
      const retainedSender = most(impl, (run) => run.sender.retainedMiB ?? 0)
      const retainedReceiver = most(impl, (run) => run.receiver.retainedMiB ?? 0)
      text += `; retained after forced GCs: sender ${retainedSender} MiB, receiver ${retainedReceiver} MiB`
    }
    parts.push(text)
  }
  return { line, summary: parts.join('\n  ') }
}
