/**
 * Media benchmark: a file uploaded to the signaling server's media store and downloaded from it by id,
 * by Ferry (`createFileMessage`, then `downloadMedia` once the uploader has logged out) and by plain
 * `fetch` against a bare Node HTTP server that streams a PUT to disk and a file back on GET, alternating
 * in the same run. Also Ferry's download from the online uploader over WebRTC (no raw side here: that is
 * `pnpm bench:node`'s file case). Each server runs in a process of its own, so its RSS growth is its
 * own; the clients run in this process. One JSON line per case on stdout; progress on stderr.
 *
 *   pnpm bench:media [--size MiB] [--rounds N] [--cases upload,download,download-peer]
 *
 * `pnpm bench:media` runs it in a network namespace with only loopback (packages/devkit/netns.mjs).
 */
import { mkdirSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { argsOrExit, runBench } from './cli.js'
import { BYTES_PER_MIB, megabytesPerSecond, round } from './measure.js'
import { parseMediaBenchArgs } from './media/media-args.js'
import { mediaReport } from './media/media-report.js'
import { MediaRequestClock } from './media/media-request-clock.js'
import { type MediaRun, runMediaRound } from './media/media-round.js'
import { type MediaServerProcess, startMediaServer } from './media/server-process.js'
import { writeSeededFile } from './payload.js'

/** Fixed seed: every run sends the same bytes. */
const FILE_SEED = 0x5eed0004

async function main(): Promise<void> {
  const args = argsOrExit(parseMediaBenchArgs)
  if (process.env.FERRY_NETNS !== '1' && args.cases.includes('download-peer')) {
    console.error('warning: not inside a loopback-only network namespace (use `pnpm bench:media`)')
  }
  const workDir = await mkdtemp(join(tmpdir(), 'ferry-bench-media-'))
  const rawStoreDir = join(workDir, 'raw-store')
  mkdirSync(rawStoreDir)
  const servers: MediaServerProcess[] = []
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`)
    for (const server of servers) server.kill()
    rmSync(workDir, { recursive: true, force: true })
    process.exit(128 + constants.signals[signal])
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  try {
    const sizeBytes = Math.round(args.sizeMiB * BYTES_PER_MIB)
    const ferry = await startMediaServer({ kind: 'ferry', maxBytes: sizeBytes })
    servers.push(ferry)
    const raw = await startMediaServer({ kind: 'raw', dir: rawStoreDir })
    servers.push(raw)
    console.error(`Ferry signaling server at ${ferry.url}, raw HTTP server at ${raw.url}, each in its own process`)
    const sourcePath = join(workDir, 'source.bin')
    const expectedSha256 = await writeSeededFile(sourcePath, sizeBytes, FILE_SEED)
    console.error(`media: ${round(sizeBytes / BYTES_PER_MIB, 3)} MiB, sha256 ${expectedSha256}`)
    const clock = new MediaRequestClock()
    const runs: MediaRun[] = []
    for (let index = 1; index <= args.rounds; index++) {
      const round = await runMediaRound({
        index,
        cases: args.cases,
        sourcePath,
        expectedSha256,
        ferry,
        raw,
        rawStoreDir,
        workDir,
        clock,
      })
      for (const run of round) {
        console.error(
          `  round ${index} ${run.impl} ${run.case}: ${megabytesPerSecond(sizeBytes, run.seconds)} MB/s, ` +
            `server RSS growth ${run.serverRssGrowthMiB} MiB`,
        )
      }
      runs.push(...round)
    }
    for (const benchCase of args.cases) {
      const report = mediaReport(benchCase, sizeBytes, runs)
      console.log(JSON.stringify(report.line))
      console.error(report.summary)
    }
  } finally {
    await Promise.all(servers.map((server) => server.close()))
    await rm(workDir, { recursive: true, force: true })
  }
}

runBench(main)
