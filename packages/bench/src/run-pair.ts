import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PeerChild } from './peer-child.js'
import type { BenchCase, PeerConfig, PeerImpl } from './peer-ipc.js'

/** Child start (tsx, wrtc), login and link set-up, warm-up included. */
const LINK_TIMEOUT_MS = 30_000
/** A child acknowledging a step that does no transfer. */
const STEP_TIMEOUT_MS = 10_000
/** Slack on top of the size-based limits below. */
const SLACK_MS = 60_000
/** A transfer slower than this counts as stuck. */
const MIN_TRANSFER_BYTES_PER_MS = 2_000
/** Re-hashing what was received, off the clock, slower than this counts as stuck. */
const MIN_VERIFY_BYTES_PER_MS = 50_000
/** A cmd round trip slower than this on average counts as stuck. */
const MAX_CMD_RTT_MS = 50

const PEER_FILES: Record<PeerImpl, string> = {
  raw: fileURLToPath(new URL('./raw-peer.ts', import.meta.url)),
  ferry: fileURLToPath(new URL('./ferry-peer.ts', import.meta.url)),
}

/** What a run shares between its two children. */
export type RunConfig = Omit<PeerConfig, 'role' | 'selfId' | 'peerId' | 'workDir'>

/** A process the run measures besides the two peers (the relay bench's signaling server). */
export interface MeasuredServer {
  /** Takes the RSS baseline, right before the clock starts. */
  baseline(): void
  /** Peak RSS growth since `baseline`, in MiB. */
  report(): Promise<number>
}

export interface RunSpec {
  impl: PeerImpl
  /** Numbers the run in labels, user ids and its work directory. */
  index: number
  config: RunConfig
  /** The run gets a fresh directory under this one for what it receives; it is removed afterwards. */
  workDir: string
  /** The peer scripts by implementation. Default: the direct-path peers. */
  peerFiles?: Record<PeerImpl, string>
  /** Names the run in labels and user ids. Default: the bench case. */
  name?: string
  server?: MeasuredServer
}

export interface RunOutcome {
  impl: PeerImpl
  seconds: number
  senderRssGrowthMiB: number
  receiverRssGrowthMiB: number
  rttMs: number[]
  /** With a `server` in the spec: its peak RSS growth while the data went through it. */
  serverRssGrowthMiB?: number
}

/**
 * One measured run on a fresh pair of processes: the receiver starts first and reports ready, then the
 * sender starts and links (relaying SDP through us for raw, through the signaling server for Ferry) and
 * warms up; the receiver takes its RSS baseline, the sender its own and starts the clock. For buffers
 * and files the receiver then re-hashes what it stored, off the clock, and it must match the source.
 */
export async function runPair(spec: RunSpec): Promise<RunOutcome> {
  const { impl, index, config } = spec
  const benchCase: BenchCase = config.benchCase
  const name = spec.name ?? benchCase
  const label = `${impl} ${name} run ${index}`
  const workDir = join(spec.workDir, `run-${index}`)
  await mkdir(workDir, { recursive: true })
  const senderId = `${name}-sender-${index}`
  const receiverId = `${name}-receiver-${index}`
  const file = (spec.peerFiles ?? PEER_FILES)[impl]
  const receiver = new PeerChild(`${label}, receiver`, file, {
    ...config,
    role: 'receiver',
    selfId: receiverId,
    peerId: senderId,
    workDir,
  })
  let sender: PeerChild | undefined
  try {
    await receiver.next('ready', LINK_TIMEOUT_MS)
    const started = new PeerChild(`${label}, sender`, file, {
      ...config,
      role: 'sender',
      selfId: senderId,
      peerId: receiverId,
      workDir,
    })
    sender = started
    started.onSignal = (data) => receiver.send({ t: 'signal', data })
    receiver.onSignal = (data) => started.send({ t: 'signal', data })
    const either = Promise.race([receiver.failed, started.failed])
    either.catch(() => {})
    const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, either])

    await step(started.next('linked', LINK_TIMEOUT_MS))
    receiver.send({ t: 'arm' })
    await step(receiver.next('armed', STEP_TIMEOUT_MS))
    spec.server?.baseline()
    started.send({ t: 'start' })
    const transferMs =
      benchCase === 'cmd'
        ? SLACK_MS + (config.cmdWarmup + config.cmdCount) * MAX_CMD_RTT_MS
        : SLACK_MS + config.sizeBytes / MIN_TRANSFER_BYTES_PER_MS
    const sent = (await step(started.next('sent', transferMs))).result
    const serverRssGrowthMiB = spec.server ? await step(spec.server.report()) : undefined
    let receiverRssGrowthMiB = 0
    if (benchCase !== 'cmd') {
      receiverRssGrowthMiB = (await step(receiver.next('received', STEP_TIMEOUT_MS))).result.rssGrowthMiB
      receiver.send({ t: 'verify' })
      const verifyMs = SLACK_MS + config.sizeBytes / MIN_VERIFY_BYTES_PER_MS
      const { sha256 } = await step(receiver.next('verified', verifyMs))
      if (sha256 !== config.expectedSha256) {
        throw new Error(`${label}: the receiver stored data with SHA-256 ${sha256}, expected ${config.expectedSha256}`)
      }
      if (sent.sha256 !== null && sent.sha256 !== config.expectedSha256) {
        throw new Error(`${label}: the sender sent data with SHA-256 ${sent.sha256}, expected ${config.expectedSha256}`)
      }
    }
    await Promise.all([started.close(), receiver.close()])
    const outcome: RunOutcome = {
      impl,
      seconds: sent.seconds,
      senderRssGrowthMiB: sent.rssGrowthMiB,
      receiverRssGrowthMiB,
      rttMs: sent.rttMs,
    }
    if (serverRssGrowthMiB !== undefined) outcome.serverRssGrowthMiB = serverRssGrowthMiB
    return outcome
  } catch (error) {
    receiver.kill()
    sender?.kill()
    throw error
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}
