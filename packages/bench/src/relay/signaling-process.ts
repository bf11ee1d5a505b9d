import { ServerProcess } from '../server-process/server-process.js'
import type { SignalingChildConfig } from './signaling-child.js'

/** What the signaling server child runs (see `signaling-child.ts`). */
const SERVER_MODULE = new URL('./signaling-child.ts', import.meta.url)

/** The orchestrator's handle on the signaling server child. */
export type SignalingProcess = ServerProcess

/**
 * A signaling server child; with `redisUrl`, one node of several sharing that Redis. With
 * FERRY_BENCH_CPU_PROF_DIR set, each child writes a V8 CPU profile there when it exits.
 */
export function startSignalingProcess(
  config: SignalingChildConfig = {},
  name = 'signaling server',
): Promise<SignalingProcess> {
  const profile = process.env.FERRY_BENCH_CPU_PROF_DIR
  return ServerProcess.start({
    name,
    module: SERVER_MODULE,
    config,
    ...(profile ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profile}`] } : {}),
  })
}
