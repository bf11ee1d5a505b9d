import { join } from 'node:path'
import { FerryClient } from '@ferry/client'
import { nodePlatform } from '@ferry/client/node'
import type { FileMessage } from '@ferry/protocol'
import wrtc from '@roamhq/wrtc'
import { sleep } from '../measure.js'
import type { MediaRequestClock } from './media-request-clock.js'

/** How often presence is polled while waiting for a user to come or go. */
const PRESENCE_POLL_MS = 10
/** Login, logout or a warm-up cmd slower than this counts as stuck. */
const PRESENCE_TIMEOUT_MS = 10_000

/** A logged-in client on the Node platform, its downloads and media cache under `dir/<userId>`. */
export async function connectFerry(url: string, userId: string, dir: string): Promise<FerryClient> {
  const client = new FerryClient({
    url,
    userId,
    platform: nodePlatform({ wrtc, downloadDir: join(dir, userId, 'downloads'), mediaDir: join(dir, 'media') }),
  })
  await client.connect().catch(rethrow(`${userId} connect`))
  return client
}

export interface FerryUpload {
  message: FileMessage
  /** `createFileMessage` to `done`: hashing, the copy into the local cache, the server upload. */
  totalSeconds: number
  /** The first request to the server store to `done`: 1 MiB pieces, the server's SHA-256 check, the record. */
  serverSeconds: number
}

/** Uploads `path` as media, timing the whole upload and its server phase apart. */
export async function ferryUpload(client: FerryClient, path: string, clock: MediaRequestClock): Promise<FerryUpload> {
  clock.reset()
  const started = performance.now()
  const message = await client.createFileMessage(path).done.catch(rethrow('createFileMessage'))
  const ended = performance.now()
  return { message, totalSeconds: (ended - started) / 1000, serverSeconds: (ended - clock.first) / 1000 }
}

export interface FerryDownload {
  path: string
  source: string
  /** `downloadMedia` to `done`: the info request, the bytes, SHA-256, the cache, the copy out to a file. */
  totalSeconds: number
  /** `downloadMedia` to the last progress event: every byte in the cache, before the copy out to a file. */
  fetchSeconds: number
}

/** Downloads a media by bare id to a file, timing the whole download and its fetch apart. */
export async function ferryDownload(client: FerryClient, mediaId: string): Promise<FerryDownload> {
  let fetched: number | undefined
  let taskId: string | undefined
  const off = client.on('media-progress', (event) => {
    if (event.taskId === taskId && event.transferred === event.total) fetched ??= performance.now()
  })
  try {
    const started = performance.now()
    const task = client.downloadMedia(mediaId, { to: 'file' })
    taskId = task.id
    const result = await task.done.catch(rethrow('downloadMedia'))
    const ended = performance.now()
    if (result.file?.path === undefined) throw new Error('Ferry downloaded to a file without a path')
    if (fetched === undefined) throw new Error('Ferry finished a download without progress at its total')
    return {
      path: result.file.path,
      source: result.source,
      totalSeconds: (ended - started) / 1000,
      fetchSeconds: (fetched - started) / 1000,
    }
  } finally {
    off()
  }
}

/** Follows `peer`'s presence and resolves once `client` sees it online (`true`) or offline (`false`). */
export async function waitForPresence(client: FerryClient, peer: string, online: boolean): Promise<void> {
  await client.subscribePresence([peer]).catch(rethrow('subscribePresence'))
  const deadline = performance.now() + PRESENCE_TIMEOUT_MS
  while (client.online.has(peer) !== online) {
    if (performance.now() > deadline) {
      throw new Error(`${peer} still ${online ? 'offline' : 'online'} after ${PRESENCE_TIMEOUT_MS} ms`)
    }
    await sleep(PRESENCE_POLL_MS)
  }
}

/** Turns a Ferry rejection into an error that says which call failed and with which code. */
function rethrow(call: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`Ferry ${call} failed${typeof code === 'string' ? ` (${code})` : ''}: ${message}`)
  }
}
