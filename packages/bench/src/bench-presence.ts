/**
 * Presence benchmark: N idle clients logging in to a server child process, all at once (a server
 * restart's reconnect storm) or in batches, then signals routed between pairs of them. Ferry's
 * signaling server and a bare Socket.IO server that only says `ready` (and forwards `signal`s) run in
 * turn, each in a process of its own, with the clients spread over several more. Per client count and
 * ramp, JSON lines on stdout: server RSS, KiB per client, ramp time, login p50/p99, what the server
 * sends per login (and for the first logins against the last ones), server CPU time, and one-way
 * signal latency; each with the raw baseline's figure and the ratio. Progress on stderr.
 *
 *   pnpm bench:presence [--clients 1000,5000,10000] [--ramp all,50] [--subscribe K] [--pairs P]
 *                       [--rounds R] [--server-options JSON] [--nodes 1|2]   (--help for all)
 *
 * With `--nodes 2`, a throwaway Redis is started and each round also runs Ferry with the clients
 * alternating between two nodes sharing it (so every signal pair has an end on each), and Ferry with
 * the same clients on one node over the same Redis: per client count and ramp, `presence-nodes-login`
 * and `presence-nodes-signal` lines with both sides (RSS and login p99 node by node) and the ratios of
 * two nodes to one. The raw baseline's lines compare it with that one-node Ferry.
 *
 * `pnpm bench:presence` runs it in a network namespace with only loopback (packages/devkit/netns.mjs).
 */
import { constants } from 'node:os'
import { startRedis } from '../../devkit/redis-server.mjs'
import { argsOrExit, runBench } from './cli.js'
import type { PeerImpl } from './peer-ipc.js'
import { type PresenceBenchArgs, parsePresenceBenchArgs } from './presence/presence-args.js'
import { presenceNodesReport } from './presence/presence-nodes-report.js'
import { failureLine, presenceReport, unreachableLine } from './presence/presence-report.js'
import { PROBE_LOGINS } from './presence/probe-logins.js'
import { unreachable } from './presence/reach.js'
import { killRunning, type PresenceRunOutcome, runPresence } from './presence/run-presence.js'

/** One side of a round: which server, on how many nodes. */
interface Side {
  impl: PeerImpl
  nodes: number
}

/**
 * The sides of each round, raw first as ever; with two nodes, Ferry on one node and then on two (as
 * `bench:relay --nodes 2` runs them).
 */
function sidesOf(impls: PeerImpl[], nodes: 1 | 2): Side[] {
  return impls.flatMap((impl): Side[] =>
    impl === 'ferry' && nodes === 2
      ? [
          { impl, nodes: 1 },
          { impl, nodes: 2 },
        ]
      : [{ impl, nodes: 1 }],
  )
}

async function main(): Promise<void> {
  const args = argsOrExit(parsePresenceBenchArgs)
  if (process.env.FERRY_NETNS !== '1') {
    console.error('warning: not inside a loopback-only network namespace (use `pnpm bench:presence`)')
  }
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`)
    killRunning()
    // Its SIGTERM goes out at once; the exit does not wait for its directory to go.
    void redis?.stop()
    process.exit(128 + constants.signals[signal])
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  redis = args.nodes === 2 ? await startRedis() : undefined
  if (redis) console.error(`Ferry's state in a throwaway Redis at ${redis.url}, a fresh key prefix per run`)
  try {
    await runAll(args, redis?.url)
  } finally {
    killRunning()
    await redis?.stop()
  }
}

async function runAll(args: PresenceBenchArgs, redisUrl: string | undefined): Promise<void> {
  let failed = 0
  let runNo = 0
  for (const clients of args.clients) {
    const reason = unreachable(clients + 2 * PROBE_LOGINS)
    if (reason) {
      console.log(JSON.stringify(unreachableLine(clients, reason)))
      console.error(`${clients} clients: not run, ${reason}`)
      failed++
      continue
    }
    for (const ramp of args.ramps) {
      const runs: PresenceRunOutcome[] = []
      for (let roundNo = 1; roundNo <= args.rounds; roundNo++) {
        for (const { impl, nodes } of sidesOf(args.impls, args.nodes)) {
          runNo++
          const where = redisUrl === undefined || impl === 'raw' ? '' : ` on ${nodes} node(s) over Redis`
          console.error(`${impl}${where}: ${clients} clients, ramp ${ramp}, round ${roundNo}...`)
          const run = await runPresence({
            impl,
            nodes,
            ...(redisUrl === undefined || impl === 'raw'
              ? {}
              : { redis: { url: redisUrl, prefix: `bench-${runNo}:` } }),
            clients,
            ramp,
            subscribe: args.subscribe,
            pairs: args.pairs,
            signalsPerSender: args.signalsPerSender,
            serverOptions: args.serverOptions,
            clientProcesses: args.clientProcesses,
            timeoutMs: args.timeoutSeconds * 1000,
          })
          if (!run.ok) {
            failed++
            console.log(JSON.stringify(failureLine(clients, ramp, run)))
            console.error(
              `  ${impl}${where} failed in ${run.phase} after ${run.elapsedSeconds} s ` +
                `(${run.ready} ready, ${run.failed} failed): ${run.error}`,
            )
          } else {
            console.error(`  ${impl}${where}: ${run.login.ready} ready in ${run.login.rampSeconds} s`)
          }
          runs.push(run)
        }
      }
      const report = presenceReport(
        clients,
        ramp,
        runs.filter((run) => run.nodes === 1),
      )
      // With two nodes, the one-node Ferry the raw baseline is compared with keeps its state in Redis.
      const state = args.nodes === 2 ? { ferryState: 'redis' } : {}
      for (const line of report.lines) console.log(JSON.stringify({ ...line, ...state }))
      console.error(report.summary)
      if (args.nodes === 2) {
        const nodesReport = presenceNodesReport(clients, ramp, runs)
        for (const line of nodesReport.lines) console.log(JSON.stringify(line))
        console.error(nodesReport.summary)
      }
    }
  }
  if (failed > 0) throw new Error(`${failed} run(s) did not complete; see the error lines`)
}

runBench(main, killRunning)
