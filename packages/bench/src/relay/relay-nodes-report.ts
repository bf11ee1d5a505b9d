import { BYTES_PER_MIB, megabytesPerSecond, round } from '../measure.js'
import { maxOf, verdict } from '../report-text.js'
import type { RelayReport } from './relay-report.js'
import type { RelayRunOutcome } from './run-relay-pair.js'

/** The target: a relay across two nodes at least 70 % of the same relay through one node. */
const TARGET_MIN_RATIO = 0.7

/** A Ferry relay run, through one node (both ends on it) or across two (sender and receiver apart). */
export type NodesRun = RelayRunOutcome & { nodes: 1 | 2 }

/** The best MB/s across two nodes and through one, their ratio, and every run in order. */
export function relayNodesReport(sizeBytes: number, runs: NodesRun[]): RelayReport {
  const best = (nodes: 1 | 2): number | null =>
    maxOf(runs.filter((run) => run.nodes === nodes).map((run) => megabytesPerSecond(sizeBytes, run.seconds)))
  const twoNodesMBps = best(2)
  const oneNodeMBps = best(1)
  const ratio = twoNodesMBps !== null && oneNodeMBps !== null ? round(twoNodesMBps / oneNodeMBps, 3) : null
  const line = {
    case: 'relay-file-nodes',
    ferryTwoNodesMBps: twoNodesMBps,
    ferryOneNodeMBps: oneNodeMBps,
    ratio,
    sizeMiB: round(sizeBytes / BYTES_PER_MIB, 3),
    runs: runs.map((run) => ({
      nodes: run.nodes,
      MBps: megabytesPerSecond(sizeBytes, run.seconds),
      seconds: round(run.seconds, 3),
      serverRssGrowthMB: run.serverRssGrowthMiB,
    })),
  }
  const summary =
    `relay-file ${line.sizeMiB} MiB, Ferry across two nodes over Redis ${twoNodesMBps} MB/s, through one ` +
    `node ${oneNodeMBps} MB/s` +
    (ratio === null ? '' : `\n  ratio ${ratio} (target >= ${TARGET_MIN_RATIO}: ${verdict(ratio >= TARGET_MIN_RATIO)})`)
  return { line, summary }
}
