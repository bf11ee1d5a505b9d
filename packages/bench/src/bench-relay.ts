/**
 * Relay benchmark: a file Node -> Node through the signaling server, by Ferry (two `FerryClient`s with
 * `transport: 'relay'`) and by a bare Socket.IO binary stream through the same server (an ideal sender
 * with the same ack window), alternating in the same run. The server runs in a process of its own so
 * its RSS growth is measured apart from the peers'. One JSON line on stdout; progress on stderr.
 *
 *   pnpm bench:relay [--size MiB] [--rounds N] [--nodes 1|2]
 *
 * With `--nodes 2` the sides are Ferry with the sender and the receiver on two server nodes sharing a
 * throwaway Redis, and Ferry with both on one of those nodes, alternating in the same run.
 *
 * `pnpm bench:relay` runs it in a network namespace with only loopback (packages/devkit/netns.mjs).
 */
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRedis } from '../../devkit/redis-server.mjs'
import { argsOrExit, runBench } from './cli.js'
import { BYTES_PER_MIB, megabytesPerSecond, round } from './measure.js'
import { writeSeededFile } from './payload.js'
import { killAllPeers } from './peer-child.js'
import type { PeerImpl } from './peer-ipc.js'
import { parseRelayBenchArgs } from './relay/relay-args.js'
import { type NodesRun, relayNodesReport } from './relay/relay-nodes-report.js'
import { relayReport } from './relay/relay-report.js'
import { type RelayRunConfig, type RelayRunOutcome, runRelayPair } from './relay/run-relay-pair.js'
import { type SignalingProcess, startSignalingProcess } from './relay/signaling-process.js'

/** Fixed seed: every run sends the same bytes. */
const FILE_SEED = 0x5eed0003

/** Raw first in each round, as in bench-node: neither side always runs on a warmer machine. */
const IMPLS: readonly PeerImpl[] = ['raw', 'ferry']

async function main(): Promise<void> {
  const args = argsOrExit(parseRelayBenchArgs)
  if (process.env.FERRY_NETNS !== '1') {
    console.error('warning: not inside a loopback-only network namespace (use `pnpm bench:relay`)')
  }
  const workDir = await mkdtemp(join(tmpdir(), 'ferry-bench-relay-'))
  let signaling: SignalingProcess | undefined
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`)
    killAllPeers()
    signaling?.kill()
    rmSync(workDir, { recursive: true, force: true })
    process.exit(128 + constants.signals[signal])
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  try {
    if (args.nodes === 2) {
      await benchNodes(args.sizeMiB, args.rounds, workDir)
      return
    }
    signaling = await startSignalingProcess()
    console.error(`signaling server at ${signaling.url}, in its own process`)
    const config = await relayFile(args.sizeMiB, workDir, signaling.url)
    const { sizeBytes } = config
    const runs: RelayRunOutcome[] = []
    let index = 0
    for (let roundNo = 0; roundNo < args.rounds; roundNo++) {
      for (const impl of IMPLS) {
        index++
        const run = await runRelayPair({ impl, index, config, signaling, workDir })
        console.error(
          `  ${impl} relay-file run ${index}: ${megabytesPerSecond(sizeBytes, run.seconds)} MB/s, ` +
            `server RSS growth ${run.serverRssGrowthMiB} MiB`,
        )
        runs.push(run)
      }
    }
    const report = relayReport(sizeBytes, runs)
    console.log(JSON.stringify(report.line))
    console.error(report.summary)
  } finally {
    killAllPeers()
    await signaling?.close()
    await rm(workDir, { recursive: true, force: true })
  }
}

/** `--nodes 2`: Ferry across two nodes over Redis against Ferry through one of them. */
async function benchNodes(sizeMiB: number, rounds: number, workDir: string): Promise<void> {
  const redis = await startRedis()
  let nodeA: SignalingProcess | undefined
  let nodeB: SignalingProcess | undefined
  try {
    nodeA = await startSignalingProcess({ redisUrl: redis.url }, 'signaling node A')
    nodeB = await startSignalingProcess({ redisUrl: redis.url }, 'signaling node B')
    console.error(`nodes at ${nodeA.url} and ${nodeB.url}, over ${redis.url}`)
    const oneNode = await relayFile(sizeMiB, workDir, nodeA.url)
    const twoNodes: RelayRunConfig = { ...oneNode, receiverUrl: nodeB.url }
    const { sizeBytes } = oneNode
    const runs: NodesRun[] = []
    let index = 0
    for (let roundNo = 0; roundNo < rounds; roundNo++) {
      for (const nodes of [1, 2] as const) {
        index++
        const config = nodes === 2 ? twoNodes : oneNode
        const run = await runRelayPair({ impl: 'ferry', index, config, signaling: nodeA, workDir })
        console.error(`  ferry on ${nodes} node(s), run ${index}: ${megabytesPerSecond(sizeBytes, run.seconds)} MB/s`)
        runs.push({ ...run, nodes })
      }
    }
    const report = relayNodesReport(sizeBytes, runs)
    console.log(JSON.stringify(report.line))
    console.error(report.summary)
  } finally {
    killAllPeers()
    await nodeA?.close()
    await nodeB?.close()
    await redis.stop()
  }
}

/** Writes the seeded file every run sends; the run config that sends it through `url`. */
async function relayFile(sizeMiB: number, workDir: string, url: string): Promise<RelayRunConfig> {
  const sizeBytes = Math.round(sizeMiB * BYTES_PER_MIB)
  const sourcePath = join(workDir, 'source.bin')
  const expectedSha256 = await writeSeededFile(sourcePath, sizeBytes, FILE_SEED)
  console.error(`relay-file: ${round(sizeBytes / BYTES_PER_MIB, 3)} MiB, sha256 ${expectedSha256}`)
  return { benchCase: 'file', sizeBytes, seed: FILE_SEED, sourcePath, expectedSha256, cmdCount: 0, cmdWarmup: 0, url }
}

runBench(main, killAllPeers)
