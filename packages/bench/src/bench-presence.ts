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
 *                       [--rounds R] [--server-options JSON]   (--help for all)
 *
 * `pnpm bench:presence` runs it in a network namespace with only loopback (packages/devkit/netns.mjs).
 */
import { constants } from 'node:os'
import { argsOrExit, runBench } from './cli.js'
import { parsePresenceBenchArgs } from './presence/presence-args.js'
import { failureLine, presenceReport, unreachableLine } from './presence/presence-report.js'
import { PROBE_LOGINS } from './presence/probe-logins.js'
import { unreachable } from './presence/reach.js'
import { killRunning, type PresenceRunOutcome, runPresence } from './presence/run-presence.js'

async function main(): Promise<void> {
  const args = argsOrExit(parsePresenceBenchArgs)
  if (process.env.FERRY_NETNS !== '1') {
    console.error('warning: not inside a loopback-only network namespace (use `pnpm bench:presence`)')
  }
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\n${signal}: stopping`)
    killRunning()
    process.exit(128 + constants.signals[signal])
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  let failed = 0
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
        for (const impl of args.impls) {
          console.error(`${impl}: ${clients} clients, ramp ${ramp}, round ${roundNo}...`)
          const run = await runPresence({
            impl,
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
              `  ${impl} failed in ${run.phase} after ${run.elapsedSeconds} s ` +
                `(${run.ready} ready, ${run.failed} failed): ${run.error}`,
            )
          } else {
            console.error(`  ${impl}: ${run.login.ready} ready in ${run.login.rampSeconds} s`)
          }
          runs.push(run)
        }
      }
      const report = presenceReport(clients, ramp, runs)
      for (const line of report.lines) console.log(JSON.stringify(line))
      console.error(report.summary)
    }
  }
  if (failed > 0) throw new Error(`${failed} run(s) did not complete; see the error lines`)
}

runBench(main, killRunning)
