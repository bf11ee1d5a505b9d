/**
 * Node <-> Node benchmark: Ferry side by side with a raw `@roamhq/wrtc` data channel and an ideal sender,
 * alternating in the same run. One JSON line per case on stdout; progress and a summary on stderr.
 *
 *   pnpm bench:node [--size MiB] [--rounds N] [--cases buffer,file,cmd] [--impls raw,ferry]
 *
 * `pnpm bench:node` runs it in a network namespace with only loopback (packages/devkit/netns.mjs).
 */
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, constants, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BenchArgs, parseBenchArgs } from './args.js'
import { argsOrExit, runBench } from './cli.js'
import { BYTES_PER_MIB, megabytesPerSecond, percentile, round } from './measure.js'
import { seededSha256, writeSeededFile } from './payload.js'
import { killAllPeers } from './peer-child.js'
import type { BenchCase } from './peer-ipc.js'
import { cmdReport, transferReport } from './report.js'
import { type RunConfig, type RunOutcome, runPair } from './run-pair.js'

/** Above this one-minute load per core, other processes compete with the peers for CPU and the numbers drift. */
const BUSY_LOAD_PER_CORE = 0.5

/** Fixed seeds: every run of a case sends the same bytes. */
const BUFFER_SEED = 0x5eed0001
const FILE_SEED = 0x5eed0002

interface Signaling {
  url: string
  close(): Promise<void>
}

async function main(): Promise<void> {
  const args = argsOrExit(parseBenchArgs)
  if (process.env.FERRY_NETNS !== '1') {
    console.error(
      'warning: not inside a loopback-only network namespace (use `pnpm bench:node`): WebRTC may route through ' +
        'a real interface, and the numbers will not compare with the reference ceilings',
    )
  }
  warnIfBusy()
  const workDir = await mkdtemp(join(tmpdir(), 'ferry-bench-'))
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`)
    killAllPeers()
    rmSync(workDir, { recursive: true, force: true })
    process.exit(128 + constants.signals[signal])
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  let signaling: Signaling | undefined
  try {
    if (args.impls.includes('ferry')) signaling = await startSignaling()
    const sizeBytes = Math.round(args.sizeMiB * BYTES_PER_MIB)
    let index = 0
    for (const benchCase of args.cases) {
      const config = await caseConfig(benchCase, sizeBytes, args, workDir, signaling?.url ?? '')
      const runs: RunOutcome[] = []
      for (let roundNo = 0; roundNo < args.rounds; roundNo++) {
        for (const impl of args.impls) {
          index++
          const run = await runPair({ impl, index, config, workDir })
          console.error(`  ${impl} ${benchCase} run ${index}: ${describeRun(benchCase, sizeBytes, run)}`)
          runs.push(run)
        }
      }
      const report = benchCase === 'cmd' ? cmdReport(runs) : transferReport(benchCase, sizeBytes, runs)
      console.log(JSON.stringify(report.line))
      console.error(report.summary)
      if (benchCase === 'file') await rm(config.sourcePath, { force: true })
    }
  } finally {
    killAllPeers()
    await signaling?.close()
    await rm(workDir, { recursive: true, force: true })
  }
}

/** Read before the bench only: once it runs, its own peers keep about two cores busy. */
function warnIfBusy(): void {
  const load = loadavg()[0] ?? 0
  const cores = availableParallelism()
  if (load > cores * BUSY_LOAD_PER_CORE) {
    console.error(
      `warning: load average ${round(load, 2)} on ${cores} cores: other work competes for CPU, expect noisy numbers`,
    )
  }
}

async function startSignaling(): Promise<Signaling> {
  const { createSignalingServer } = await import('@ferry/signaling')
  const server = await createSignalingServer({ port: 0 })
  console.error(`signaling server at ${server.url}`)
  return server
}

/** Prepares a case's source (hashing the buffer, writing the file once for all its runs). */
async function caseConfig(
  benchCase: BenchCase,
  sizeBytes: number,
  args: BenchArgs,
  workDir: string,
  url: string,
): Promise<RunConfig> {
  const config: RunConfig = {
    benchCase,
    sizeBytes: benchCase === 'cmd' ? 0 : sizeBytes,
    seed: BUFFER_SEED,
    sourcePath: '',
    expectedSha256: '',
    cmdCount: args.cmdCount,
    cmdWarmup: args.cmdWarmup,
    url,
  }
  if (benchCase === 'buffer') {
    config.expectedSha256 = seededSha256(sizeBytes, BUFFER_SEED)
  } else if (benchCase === 'file') {
    config.sourcePath = join(workDir, 'source.bin')
    config.expectedSha256 = await writeSeededFile(config.sourcePath, sizeBytes, FILE_SEED)
  }
  console.error(
    benchCase === 'cmd'
      ? `cmd: ${args.cmdCount} round trips per run after ${args.cmdWarmup} warm-up`
      : `${benchCase}: ${round(sizeBytes / BYTES_PER_MIB, 3)} MiB, sha256 ${config.expectedSha256}`,
  )
  return config
}

function describeRun(benchCase: BenchCase, sizeBytes: number, run: RunOutcome): string {
  if (benchCase === 'cmd') {
    return `p50 ${round(percentile(run.rttMs, 50), 3)} ms, p99 ${round(percentile(run.rttMs, 99), 3)} ms`
  }
  return (
    `${megabytesPerSecond(sizeBytes, run.seconds)} MB/s, RSS growth sender ${run.senderRssGrowthMiB} MiB, ` +
    `receiver ${run.receiverRssGrowthMiB} MiB`
  )
}

runBench(main, killAllPeers)
