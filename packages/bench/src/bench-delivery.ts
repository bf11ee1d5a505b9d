/**
 * Delivery benchmark: messages kept for offline users, then every user logging in at once. Ferry (a
 * group of the users, group messages through the server API, `FerryClient`s receiving and
 * acknowledging) against a bare Socket.IO server that keeps them in a Map and deletes them on ack,
 * alternating in the same run. Each user logs in a second time to show nothing comes again. One JSON
 * line on stdout; progress on stderr.
 *
 *   pnpm bench:delivery [--messages N] [--users N] [--rounds N] [--state memory|file|redis]
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RedisServer, startRedis } from '../../devkit/redis-server.mjs'
import { argsOrExit, runBench } from './cli.js'
import { type DeliveryBenchArgs, parseDeliveryBenchArgs } from './delivery/delivery-args.js'
import { deliveryReport } from './delivery/delivery-report.js'
import { type DeliveryRun, runFerry, runRaw, userIds } from './delivery/delivery-run.js'
import type { DeliveryServerConfig } from './delivery/delivery-server.js'
import { round } from './measure.js'
import { ServerProcess } from './server-process/server-process.js'

const SERVER_MODULE = new URL('./delivery/delivery-server.ts', import.meta.url)

async function main(): Promise<void> {
  const args = argsOrExit(parseDeliveryBenchArgs)
  const perUser = args.messages / args.users
  const workDir = await mkdtemp(join(tmpdir(), 'ferry-bench-delivery-'))
  let redis: RedisServer | undefined
  try {
    const runs: DeliveryRun[] = []
    let index = 0
    for (let roundNo = 0; roundNo < args.rounds; roundNo++) {
      for (const impl of ['raw', 'ferry'] as const) {
        index++
        if (impl === 'ferry' && args.state === 'redis') redis ??= await startRedis()
        const config: DeliveryServerConfig =
          impl === 'raw' ? { kind: 'raw' } : { kind: 'ferry', state: await stateOptions(args, workDir, index, redis) }
        const server = await ServerProcess.start({ name: `${impl} delivery server`, module: SERVER_MODULE, config })
        try {
          const users = userIds(args.users, index)
          const run =
            impl === 'raw'
              ? await runRaw(server.url, users, perUser)
              : await runFerry(server.url, users, perUser, index)
          console.error(
            `  ${impl} run ${index}: kept in ${round(run.keepSeconds, 2)} s, delivered in ` +
              `${round(run.deliverSeconds, 2)} s (${run.delivered} distinct, ${run.duplicates} twice, ` +
              `${run.redelivered} again at the next login)`,
          )
          runs.push(run)
        } finally {
          await server.close()
        }
      }
    }
    const report = deliveryReport(args.messages, args.users, args.state, runs)
    console.log(JSON.stringify(report.line))
    console.error(report.summary)
  } finally {
    await redis?.stop()
    await rm(workDir, { recursive: true, force: true })
  }
}

/** The server options that put Ferry's state where `--state` says: a fresh place for every run. */
async function stateOptions(
  args: DeliveryBenchArgs,
  workDir: string,
  index: number,
  redis: RedisServer | undefined,
): Promise<Record<string, unknown>> {
  if (args.state === 'file') return { stateDir: join(workDir, `state-${index}`) }
  if (args.state === 'redis') return { redisUrl: redis!.url, redisPrefix: `bench-${index}:` }
  return {}
}

runBench(main)
