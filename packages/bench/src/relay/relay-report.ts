import { BYTES_PER_MIB, megabytesPerSecond, round } from '../measure.js'
import type { PeerImpl } from '../peer-ipc.js'
import { maxOf, verdict } from '../report-text.js'
import type { RelayRunOutcome } from './run-relay-pair.js'

/** The targets: Ferry's relay at least 80 % of a bare Socket.IO binary stream... */
const TARGET_MIN_RATIO = 0.8
/** ...and the server's RSS growing less than this while a file goes through it. */
const TARGET_MAX_SERVER_RSS_GROWTH_MIB = 64

export interface RelayReport {
  /** One JSON object, printed as one line on stdout. */
  line: Record<string, unknown>
  /** Human summary for stderr. */
  summary: string
}

/**
 * The best MB/s of each side, the server's worst RSS growth under Ferry (and under raw alongside),
 * and every run in order. RSS figures are MiB (see `measure.ts`).
 */
export function relayReport(sizeBytes: number, runs: RelayRunOutcome[]): RelayReport {
  const of = (impl: PeerImpl) => runs.filter((run) => run.impl === impl)
  const best = (impl: PeerImpl): number | null =>
    maxOf(of(impl).map((run) => megabytesPerSecond(sizeBytes, run.seconds)))
  const worstServer = (impl: PeerImpl): number | null => maxOf(of(impl).map((run) => run.serverRssGrowthMiB))
  const ferryMBps = best('ferry')
  const rawMBps = best('raw')
  const ratio = ferryMBps !== null && rawMBps !== null ? round(ferryMBps / rawMBps, 3) : null
  const serverRssGrowthMB = worstServer('ferry')
  const line = {
    case: 'relay-file',
    ferryMBps,
    rawMBps,
    ratio,
    serverRssGrowthMB,
    rawServerRssGrowthMB: worstServer('raw'),
    sizeMiB: round(sizeBytes / BYTES_PER_MIB, 3),
    runs: runs.map((run) => ({
      impl: run.impl,
      MBps: megabytesPerSecond(sizeBytes, run.seconds),
      seconds: round(run.seconds, 3),
      serverRssGrowthMB: run.serverRssGrowthMiB,
      senderRssGrowthMB: run.senderRssGrowthMiB,
      receiverRssGrowthMB: run.receiverRssGrowthMiB,
    })),
  }
  const parts = [`relay-file ${line.sizeMiB} MiB: Ferry ${ferryMBps} MB/s, raw Socket.IO ${rawMBps} MB/s`]
  if (ratio !== null)
    parts.push(`ratio ${ratio} (target >= ${TARGET_MIN_RATIO}: ${verdict(ratio >= TARGET_MIN_RATIO)})`)
  if (serverRssGrowthMB !== null) {
    const met = serverRssGrowthMB < TARGET_MAX_SERVER_RSS_GROWTH_MIB
    parts.push(
      `server RSS growth under Ferry ${serverRssGrowthMB} MiB, under raw ${line.rawServerRssGrowthMB} MiB ` +
        `(target < ${TARGET_MAX_SERVER_RSS_GROWTH_MIB} MiB: ${verdict(met)})`,
    )
  }
  return { line, summary: parts.join('\n  ') }
}
