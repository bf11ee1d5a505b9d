import { ServerProcess } from '../server-process/server-process.js'

/** What the signaling server child runs (see `signaling-child.ts`). */
const SERVER_MODULE = new URL('./signaling-child.ts', import.meta.url)

/** The orchestrator's handle on the signaling server child. */
export type SignalingProcess = ServerProcess

export function startSignalingProcess(): Promise<SignalingProcess> {
  return ServerProcess.start({ name: 'signaling server', module: SERVER_MODULE, config: null })
}
