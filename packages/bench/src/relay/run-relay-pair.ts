import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PeerChild } from '../peer-child.js'
import type { PeerConfig, PeerImpl } from '../peer-ipc.js'
import type { SignalingProcess } from './signaling-process.js'

/** Child start (tsx), login and the warm-up round trip through the server. */
const LINK_TIMEOUT_MS = 30_000
/** A child acknowledging a step that moves no data. */
const STEP_TIMEOUT_MS = 10_000
/** Slack on top of the size-based limits below. */
const SLACK_MS = 60_000
/** A transfer slower than this counts as stuck. */
const MIN_TRANSFER_BYTES_PER_MS = 2_000
/** Re-hashing what was received, off the clock, slower than this counts as stuck. */
const MIN_VERIFY_BYTES_PER_MS = 50_000

const PEER_FILES: Record<PeerImpl, string> = {
  raw: fileURLToPath(new URL('./raw-relay-peer.ts', import.meta.url)),
  ferry: fileURLToPath(new URL('./ferry-relay-peer.ts', import.meta.url)),
}

/** What a run shares between its two children. */
export type RelayRunConfig = Omit<PeerConfig, 'role' | 'selfId' | 'peerId' | 'workDir'>

export interface RelayRunSpec {
  impl: PeerImpl
  /** Numbers the run in labels, user ids and its work directory. */
  index: number
  config: RelayRunConfig
  signaling: SignalingProcess
  /** The run gets a fresh directory under this one for what it receives; it is removed afterwards. */
  workDir: string
}

export interface RelayRunOutcome {
  impl: PeerImpl
  seconds: number
  /** Peak growth of the signaling server's RSS while the file went through it. */
  serverRssGrowthMiB: number
  senderRssGrowthMiB: number
  receiverRssGrowthMiB: number
}

/**
 * One measured run on a fresh pair of processes, both logged in to the one signaling server: the
 * receiver starts first and reports ready, the sender starts and warms up through the relay; then the
 * server and the receiver take their RSS baselines and the sender starts the clock. Afterwards the
 * receiver re-hashes what it stored, off the clock, and it must match the source.
 */
export async function runRelayPair(spec: RelayRunSpec): Promise<RelayRunOutcome> {
  const { impl, index, config, signaling } = spec
  const label = `${impl} relay-file run ${index}`
  const workDir = join(spec.workDir, `run-${index}`)
  await mkdir(workDir, { recursive: true })
  const senderId = `relay-sender-${index}`
  const receiverId = `relay-receiver-${index}`
  const file = PEER_FILES[impl]
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
    const either = Promise.race([receiver.failed, started.failed])
    either.catch(() => {})
    const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, either])

    await step(started.next('linked', LINK_TIMEOUT_MS))
    receiver.send({ t: 'arm' })
    await step(receiver.next('armed', STEP_TIMEOUT_MS))
    signaling.baseline()
    started.send({ t: 'start' })
    const transferMs = SLACK_MS + config.sizeBytes / MIN_TRANSFER_BYTES_PER_MS
    const sent = (await step(started.next('sent', transferMs))).result
    const serverRssGrowthMiB = await step(signaling.report())
    const received = (await step(receiver.next('received', STEP_TIMEOUT_MS))).result
    receiver.send({ t: 'verify' })
    const verifyMs = SLACK_MS + config.sizeBytes / MIN_VERIFY_BYTES_PER_MS
    const { sha256 } = await step(receiver.next('verified', verifyMs))
    if (sha256 !== config.expectedSha256) {
      throw new Error(`${label}: the receiver stored data with SHA-256 ${sha256}, expected ${config.expectedSha256}`)
    }
    if (sent.sha256 !== null && sent.sha256 !== config.expectedSha256) {
      throw new Error(`${label}: the sender sent data with SHA-256 ${sent.sha256}, expected ${config.expectedSha256}`)
    }
    await Promise.all([started.close(), receiver.close()])
    return {
      impl,
      seconds: sent.seconds,
      serverRssGrowthMiB,
      senderRssGrowthMiB: sent.rssGrowthMiB,
      receiverRssGrowthMiB: received.rssGrowthMiB,
    }
  } catch (error) {
    receiver.kill()
    sender?.kill()
    throw error
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}
