import { BYTES_PER_MIB, megabytesPerSecond, percentile, round } from './measure.js'
import type { BenchCase, PeerImpl } from './peer-ipc.js'
import { maxOfImpl, show, verdict } from './report-text.js'
import type { RunOutcome } from './run-pair.js'

/** The targets: Ferry within 10 % of the raw ideal sender... */
const TARGET_MIN_RATIO = 0.9
/** ...RSS growth on either side under 100 MiB (beyond the delivered payload, for a received buffer)... */
const TARGET_MAX_RSS_GROWTH_MIB = 100
/** ...and a cmd round trip (p50) at most 1.5 times a raw ping's. */
const TARGET_MAX_CMD_P50_RATIO = 1.5

export interface CaseReport {
  /** One JSON object, printed as one line on stdout. */
  line: Record<string, unknown>
  /** Human summary for stderr. */
  summary: string
}

/**
 * Buffer and file cases: the best MB/s of each side, Ferry's worst RSS growth over its runs (and raw's
 * alongside), and every run in order. RSS figures are MiB (see `measure.ts`).
 */
export function transferReport(
  benchCase: Exclude<BenchCase, 'cmd'>,
  sizeBytes: number,
  runs: RunOutcome[],
): CaseReport {
  const best = (impl: PeerImpl): number | null =>
    maxOfImpl(runs, impl, (run) => megabytesPerSecond(sizeBytes, run.seconds))
  const worstSender = (impl: PeerImpl): number | null => maxOfImpl(runs, impl, (run) => run.senderRssGrowthMiB)
  const worstReceiver = (impl: PeerImpl): number | null => maxOfImpl(runs, impl, (run) => run.receiverRssGrowthMiB)
  const ferryMBps = best('ferry')
  const rawMBps = best('raw')
  const ratio = ferryMBps !== null && rawMBps !== null ? round(ferryMBps / rawMBps, 3) : null
  const payloadMiB = benchCase === 'buffer' ? round(sizeBytes / BYTES_PER_MIB, 1) : 0
  const line = {
    case: benchCase,
    ferryMBps,
    rawMBps,
    ratio,
    senderRssGrowthMB: worstSender('ferry'),
    receiverRssGrowthMB: worstReceiver('ferry'),
    receiverPayloadMB: payloadMiB,
    rawSenderRssGrowthMB: worstSender('raw'),
    rawReceiverRssGrowthMB: worstReceiver('raw'),
    sizeMiB: round(sizeBytes / BYTES_PER_MIB, 3),
    runs: runs.map((run) => ({
      impl: run.impl,
      MBps: megabytesPerSecond(sizeBytes, run.seconds),
      seconds: round(run.seconds, 3),
      senderRssGrowthMB: run.senderRssGrowthMiB,
      receiverRssGrowthMB: run.receiverRssGrowthMiB,
    })),
  }
  const parts = [`${benchCase} ${line.sizeMiB} MiB: Ferry ${show(ferryMBps, ' MB/s')}, raw ${show(rawMBps, ' MB/s')}`]
  if (ratio !== null)
    parts.push(`ratio ${ratio} (target >= ${TARGET_MIN_RATIO}: ${verdict(ratio >= TARGET_MIN_RATIO)})`)
  for (const impl of ['ferry', 'raw'] as const) {
    const sender = worstSender(impl)
    const receiver = worstReceiver(impl)
    if (sender === null || receiver === null) continue
    const overhead = round(receiver - payloadMiB, 1)
    const met = sender < TARGET_MAX_RSS_GROWTH_MIB && overhead < TARGET_MAX_RSS_GROWTH_MIB
    const payload = payloadMiB > 0 ? ` (${overhead} MiB beyond the ${payloadMiB} MiB payload)` : ''
    parts.push(
      `${impl} RSS growth: sender ${sender} MiB, receiver ${receiver} MiB${payload}` +
        ` (target < ${TARGET_MAX_RSS_GROWTH_MIB} MiB: ${verdict(met)})`,
    )
  }
  return { line, summary: parts.join('\n  ') }
}

/** Cmd round trips: per side, the run with the lowest p50 (its p99 alongside), and every run in order. */
export function cmdReport(runs: RunOutcome[]): CaseReport {
  const stats = runs.map((run) => ({
    impl: run.impl,
    p50Ms: round(percentile(run.rttMs, 50), 3),
    p99Ms: round(percentile(run.rttMs, 99), 3),
    count: run.rttMs.length,
  }))
  const bestOf = (impl: PeerImpl) =>
    stats
      .filter((s) => s.impl === impl)
      .reduce<(typeof stats)[number] | null>((a, b) => (a && a.p50Ms <= b.p50Ms ? a : b), null)
  const ferry = bestOf('ferry')
  const raw = bestOf('raw')
  const ratioP50 = ferry && raw ? round(ferry.p50Ms / raw.p50Ms, 3) : null
  const line = {
    case: 'cmd-rtt',
    ferryP50Ms: ferry?.p50Ms ?? null,
    ferryP99Ms: ferry?.p99Ms ?? null,
    rawP50Ms: raw?.p50Ms ?? null,
    rawP99Ms: raw?.p99Ms ?? null,
    ratioP50,
    count: stats[0]?.count ?? 0,
    runs: stats.map(({ impl, p50Ms, p99Ms }) => ({ impl, p50Ms, p99Ms })),
  }
  let summary =
    `cmd round trip, ${line.count} x 16 bytes: Ferry p50 ${show(line.ferryP50Ms, ' ms')} p99 ${show(line.ferryP99Ms, ' ms')}, ` +
    `raw p50 ${show(line.rawP50Ms, ' ms')} p99 ${show(line.rawP99Ms, ' ms')}`
  if (ratioP50 !== null) {
    summary += `\n  p50 ratio ${ratioP50} (target <= ${TARGET_MAX_CMD_P50_RATIO}: ${verdict(ratioP50 <= TARGET_MAX_CMD_P50_RATIO)})`
  }
  return { line, summary }
}
