import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { FerryClient } from '@ferry/client'
import { fileSha256 } from '../payload.js'
import type { PeerImpl } from '../peer-ipc.js'
import { connectFerry, ferryDownload, ferryUpload, waitForPresence } from './ferry-media.js'
import type { MediaCase } from './media-args.js'
import type { MediaRequestClock } from './media-request-clock.js'
import { rawDownload, rawUpload } from './raw-media-client.js'
import type { MediaServerProcess } from './server-process.js'

/** One timed transfer of the media. */
export interface MediaRun {
  case: MediaCase
  impl: PeerImpl
  /** The figure the sides are compared on (see `media-report.ts`). */
  seconds: number
  /** Ferry upload: the whole call, hashing and the copy into the local cache included (`seconds` is its server phase). */
  totalSeconds?: number
  /** Ferry download: until every byte was in the local cache, before the copy out to the file (`seconds` includes it). */
  fetchSeconds?: number
  /** Peak RSS growth of the side's server process during the run, in MiB (a peer download only asks it for the info). */
  serverRssGrowthMiB: number
}

export interface MediaRoundSpec {
  /** Numbers the round in user ids and directories. */
  index: number
  cases: readonly MediaCase[]
  sourcePath: string
  expectedSha256: string
  ferry: MediaServerProcess
  raw: MediaServerProcess
  /** Where the raw server stores (its `dir`): the raw upload is verified there. */
  rawStoreDir: string
  /** The round gets a fresh directory under this one; it is removed afterwards. */
  workDir: string
  clock: MediaRequestClock
}

/**
 * One round, raw first as in the other benches: the raw PUT and GET; then Ferry's upload by one user,
 * a download by a second user while the uploader is online (from the uploader, over WebRTC), and a
 * download by a third once both have logged out (from the server store). Every transfer is
 * checked by SHA-256 afterwards, off the clock; a run that does not match fails the bench.
 */
export async function runMediaRound(spec: MediaRoundSpec): Promise<MediaRun[]> {
  const dir = join(spec.workDir, `round-${spec.index}`)
  await mkdir(dir, { recursive: true })
  try {
    return [...(await rawRuns(spec, dir)), ...(await ferryRuns(spec, dir))]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function rawRuns(spec: MediaRoundSpec, dir: string): Promise<MediaRun[]> {
  const runs: MediaRun[] = []
  const name = `round-${spec.index}`
  const url = `${spec.raw.url}/${name}`
  const stored = join(spec.rawStoreDir, name)
  try {
    const upload = await measured(spec.raw, () => rawUpload(url, spec.sourcePath))
    await verify('raw upload', stored, spec.expectedSha256)
    if (spec.cases.includes('upload')) runs.push({ case: 'upload', impl: 'raw', ...figures(upload) })
    if (!spec.cases.includes('download')) return runs
    const path = join(dir, 'raw-download.bin')
    const download = await measured(spec.raw, () => rawDownload(url, path))
    await verify('raw download', path, spec.expectedSha256)
    runs.push({ case: 'download', impl: 'raw', ...figures(download) })
    return runs
  } finally {
    await rm(stored, { force: true })
  }
}

async function ferryRuns(spec: MediaRoundSpec, dir: string): Promise<MediaRun[]> {
  const runs: MediaRun[] = []
  const ids = { alice: `alice-${spec.index}`, carol: `carol-${spec.index}`, bob: `bob-${spec.index}` }
  const clients: FerryClient[] = []
  const connect = async (userId: string): Promise<FerryClient> => {
    const client = await connectFerry(spec.ferry.url, userId, dir)
    clients.push(client)
    return client
  }
  const close = async (client: FerryClient): Promise<void> => {
    clients.splice(clients.indexOf(client), 1)
    await client.close()
  }
  try {
    const alice = await connect(ids.alice)
    const upload = await measured(spec.ferry, () => ferryUpload(alice, spec.sourcePath, spec.clock))
    const { message } = upload.result
    // The server took the last piece only once the SHA-256 of what arrived matched this one.
    if (message.sha256 !== spec.expectedSha256) {
      throw new Error(`Ferry uploaded media with SHA-256 ${message.sha256}, expected ${spec.expectedSha256}`)
    }
    if (spec.cases.includes('upload')) {
      runs.push({
        case: 'upload',
        impl: 'ferry',
        seconds: upload.result.serverSeconds,
        totalSeconds: upload.result.totalSeconds,
        serverRssGrowthMiB: upload.serverRssGrowthMiB,
      })
    }

    if (spec.cases.includes('download-peer')) {
      const carol = await connect(ids.carol)
      await waitForPresence(carol, ids.alice, true)
      // Open the WebRTC link first: the bench times the media, not the connection set-up.
      await carol.sendCmd(ids.alice, 'warm-up').done.catch((error: unknown) => {
        throw new Error(`Ferry warm-up sendCmd failed: ${String(error)}`)
      })
      const peer = await measured(spec.ferry, () => ferryDownload(carol, message.mediaId))
      checkSource(peer.result.source, 'peer')
      await verify('Ferry peer download', peer.result.path, spec.expectedSha256)
      runs.push({
        case: 'download-peer',
        impl: 'ferry',
        seconds: peer.result.totalSeconds,
        fetchSeconds: peer.result.fetchSeconds,
        serverRssGrowthMiB: peer.serverRssGrowthMiB,
      })
      // Carol now holds it too, and a download asks online holders before the server.
      await close(carol)
    }

    if (spec.cases.includes('download')) {
      await close(alice)
      const bob = await connect(ids.bob)
      await waitForPresence(bob, ids.alice, false)
      await waitForPresence(bob, ids.carol, false)
      const download = await measured(spec.ferry, () => ferryDownload(bob, message.mediaId))
      checkSource(download.result.source, 'server')
      await verify('Ferry server download', download.result.path, spec.expectedSha256)
      runs.push({
        case: 'download',
        impl: 'ferry',
        seconds: download.result.totalSeconds,
        fetchSeconds: download.result.fetchSeconds,
        serverRssGrowthMiB: download.serverRssGrowthMiB,
      })
    }
    return runs
  } finally {
    for (const client of clients.reverse()) await client.close()
  }
}

/** Runs `transfer` between an RSS baseline of `server` and its report; times it when it does not time itself. */
async function measured<T>(
  server: MediaServerProcess,
  transfer: () => Promise<T>,
): Promise<{ result: T; seconds: number; serverRssGrowthMiB: number }> {
  server.baseline()
  const started = performance.now()
  const result = await transfer()
  const seconds = (performance.now() - started) / 1000
  return { result, seconds, serverRssGrowthMiB: await server.report() }
}

function figures(run: {
  seconds: number
  serverRssGrowthMiB: number
}): Pick<MediaRun, 'seconds' | 'serverRssGrowthMiB'> {
  return { seconds: run.seconds, serverRssGrowthMiB: run.serverRssGrowthMiB }
}

async function verify(what: string, path: string, expected: string): Promise<void> {
  const sha256 = await fileSha256(path)
  if (sha256 !== expected) throw new Error(`${what}: stored SHA-256 ${sha256}, expected ${expected}`)
}

function checkSource(source: string, expected: string): void {
  if (source !== expected) throw new Error(`Ferry downloaded from '${source}', expected '${expected}'`)
}
