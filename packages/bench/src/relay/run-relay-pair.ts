import { fileURLToPath } from 'node:url'
import type { PeerImpl } from '../peer-ipc.js'
import { type RunConfig, type RunOutcome, runPair } from '../run-pair.js'
import type { SignalingProcess } from './signaling-process.js'

const PEER_FILES: Record<PeerImpl, string> = {
  raw: fileURLToPath(new URL('./raw-relay-peer.ts', import.meta.url)),
  ferry: fileURLToPath(new URL('./ferry-relay-peer.ts', import.meta.url)),
}

/** What a run shares between its two children. */
export type RelayRunConfig = RunConfig

export interface RelayRunSpec {
  impl: PeerImpl
  /** Numbers the run in labels, user ids and its work directory. */
  index: number
  config: RelayRunConfig
  signaling: SignalingProcess
  /** The run gets a fresh directory under this one for what it receives; it is removed afterwards. */
  workDir: string
}

export type RelayRunOutcome = Omit<RunOutcome, 'rttMs' | 'serverRssGrowthMiB'> & { serverRssGrowthMiB: number }

/**
 * One measured relay run (see `runPair`): both peers log in to the one signaling server, whose RSS
 * baseline is taken right before the clock starts and whose peak growth is read when the file is through.
 */
export async function runRelayPair(spec: RelayRunSpec): Promise<RelayRunOutcome> {
  const { signaling, ...rest } = spec
  const {
    rttMs: _,
    serverRssGrowthMiB,
    ...outcome
  } = await runPair({
    ...rest,
    peerFiles: PEER_FILES,
    name: 'relay',
    server: signaling,
  })
  return { ...outcome, serverRssGrowthMiB: serverRssGrowthMiB ?? 0 }
}
