import { BYTES_PER_MIB, megabytesPerSecond, round } from '../measure.js'
import type { PeerImpl } from '../peer-ipc.js'
import { maxOf, show } from '../report-text.js'
import type { MediaCase } from './media-args.js'
import type { MediaRun } from './media-round.js'

export interface MediaCaseReport {
  /** One JSON object, printed as one line on stdout. */
  line: Record<string, unknown>
  /** Human summary for stderr. */
  summary: string
}

/** What each case's two figures are, carried in its JSON line so the line reads on its own. */
const FIGURES: Record<MediaCase, { ferry: string; raw: string | null }> = {
  upload: {
    ferry:
      'server phase: first /media/ request to done (ferryTotalMBps: the whole call, hashing and cache copy included)',
    raw: 'one streamed PUT of the file to a bare node:http server writing it to disk',
  },
  download: {
    ferry:
      'downloadMedia(id, { to: file }) to done, from the server store (ferryFetchMBps: until the bytes are in the cache)',
    raw: 'one GET from a bare node:http server, streamed to a file',
  },
  'download-peer': {
    ferry: 'downloadMedia(id, { to: file }) to done, from the online uploader over WebRTC, both clients in one process',
    // The raw WebRTC channel with the same file is `pnpm bench:node`'s file case.
    raw: null,
  },
}

/**
 * One case: the best MB/s of each side, Ferry's other phase alongside, the worst server RSS growth of
 * each side, and every run in order. RSS figures are MiB (see `measure.ts`).
 */
export function mediaReport(benchCase: MediaCase, sizeBytes: number, allRuns: MediaRun[]): MediaCaseReport {
  const runs = allRuns.filter((run) => run.case === benchCase)
  const of = (impl: PeerImpl) => runs.filter((run) => run.impl === impl)
  const mbps = (seconds: number | undefined) =>
    seconds === undefined ? undefined : megabytesPerSecond(sizeBytes, seconds)
  const best = (impl: PeerImpl, seconds: (run: MediaRun) => number | undefined) =>
    maxOf(of(impl).map((run) => mbps(seconds(run))))
  const ferryMBps = best('ferry', (run) => run.seconds)
  const rawMBps = best('raw', (run) => run.seconds)
  const ratio = ferryMBps !== null && rawMBps !== null ? round(ferryMBps / rawMBps, 3) : null
  const worstServer = (impl: PeerImpl) => maxOf(of(impl).map((run) => run.serverRssGrowthMiB))
  const line: Record<string, unknown> = {
    bench: 'media',
    case: benchCase,
    size: sizeBytes,
    sizeMiB: round(sizeBytes / BYTES_PER_MIB, 3),
    ferryMBps,
    rawMBps,
    ratio,
  }
  if (benchCase === 'upload') line.ferryTotalMBps = best('ferry', (run) => run.totalSeconds)
  else line.ferryFetchMBps = best('ferry', (run) => run.fetchSeconds)
  line.serverRssGrowthMB = worstServer('ferry')
  line.rawServerRssGrowthMB = worstServer('raw')
  line.ferryFigure = FIGURES[benchCase].ferry
  line.rawFigure = FIGURES[benchCase].raw
  line.runs = runs.map((run) => ({
    impl: run.impl,
    MBps: megabytesPerSecond(sizeBytes, run.seconds),
    seconds: round(run.seconds, 3),
    ...(run.totalSeconds === undefined ? {} : { totalSeconds: round(run.totalSeconds, 3) }),
    ...(run.fetchSeconds === undefined ? {} : { fetchSeconds: round(run.fetchSeconds, 3) }),
    serverRssGrowthMB: run.serverRssGrowthMiB,
  }))

  const other =
    benchCase === 'upload' ? `, whole call ${line.ferryTotalMBps} MB/s` : `, fetch ${line.ferryFetchMBps} MB/s`
  const parts = [
    `media ${benchCase} ${line.sizeMiB} MiB: Ferry ${show(ferryMBps, ' MB/s')}${other}; raw HTTP ${show(rawMBps, ' MB/s')}` +
      (ratio === null ? '' : `; ratio ${ratio}`),
    `server RSS growth: Ferry ${show(line.serverRssGrowthMB as number | null, ' MiB')}, ` +
      `raw ${show(line.rawServerRssGrowthMB as number | null, ' MiB')}`,
  ]
  return { line, summary: parts.join('\n  ') }
}
