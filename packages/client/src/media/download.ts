import { FerryError, MEDIA_ID_PATTERN, type MediaInfo, type MediaMessage } from '@ferry/protocol'
import { toHex } from '../hex.js'
import { IdleTimer } from '../idle-timer.js'
import type { TransferSink } from '../incoming-transfer.js'
import type { PeerLink } from '../peer-link.js'
import type { Platform } from '../types.js'
import { checkAborted } from './abort.js'
import { peersToTry } from './download-sources.js'
import type { MediaCache, MediaWriter } from './media-cache.js'
import type { MediaHolderSignals } from './media-holders.js'
import type { TaskContext } from './media-tasks.js'
import type { DownloadOptions, DownloadResult } from './media-types.js'
import type { PeerMedia } from './peer-media.js'
import { downloadFromServer, fetchServerInfo, type ServerStore } from './server-media.js'
import { mediaInfoOf } from './upload.js'

export interface DownloadJob {
  /** A message (names the uploader, a peer to ask) or a bare media id (the server store is asked). */
  target: MediaMessage | string
  options: DownloadOptions
  self: string
  platform: Platform
  cache: MediaCache
  server: ServerStore | undefined
  peerMedia: PeerMedia
  /** Who holds a media and is online (asked before the server store). */
  holders: MediaHolderSignals
  link(peer: string): PeerLink
  /** A peer that sent no bytes for this long is given up on, for the next source. */
  sourceTimeoutMs: number
}

/**
 * Downloading by id: from the local cache if it is there, else from an online peer that holds it (the
 * holders the server names, most recent first, then the uploader), else from the server store. So a
 * file sent to many is uploaded once, and each download spreads it further. A peer that fails, or
 * sends nothing for `sourceTimeoutMs`, is left for the next. What arrives goes into the cache, and
 * counts only once its SHA-256 is the one the media id was published with.
 */
export async function download(job: DownloadJob, context: TaskContext): Promise<DownloadResult> {
  const mediaId = typeof job.target === 'string' ? job.target : job.target.mediaId
  if (!MEDIA_ID_PATTERN.test(mediaId)) throw new FerryError('invalid-argument', 'not a media id')
  let peer: string | undefined
  if (await job.cache.get(mediaId)) context.source = 'cache'
  else {
    const info = await findInfo(job, mediaId, context.signal)
    if (info.expiresAt !== 0 && info.expiresAt <= Date.now()) {
      throw new FerryError('media-not-found', `${mediaId} expired`)
    }
    peer = await fetchInto(job, info, context)
    context.source = peer === undefined ? 'server' : 'peer'
  }
  checkAborted(context.signal)
  const result: DownloadResult = { mediaId, source: context.source }
  if (peer !== undefined) result.peer = peer
  if (job.options.to === 'file') result.file = await job.cache.export(mediaId, job.options.path)
  else result.data = await readAll(job.cache, mediaId)
  return result
}

async function findInfo(job: DownloadJob, mediaId: string, signal: AbortSignal): Promise<MediaInfo> {
  if (typeof job.target !== 'string') return mediaInfoOf(job.target)
  if (!job.server)
    throw new FerryError('media-not-found', `${mediaId}: this server keeps no media; download by message`)
  return fetchServerInfo(job.server, mediaId, signal)
}

/** Tries the peers that may hold it, then the server; resolves with the peer it came from (none: the server). */
async function fetchInto(job: DownloadJob, info: MediaInfo, context: TaskContext): Promise<string | undefined> {
  let lastError: FerryError | undefined
  const named = await job.holders.holders(info.mediaId, info.uploader)
  checkAborted(context.signal)
  for (const peer of peersToTry(named, info.uploader, job.self)) {
    context.keepAlive()
    try {
      await fromPeer(job, info, peer, context)
      return peer
    } catch (err) {
      checkAborted(context.signal)
      lastError = err instanceof FerryError ? err : new FerryError('unknown', String(err))
    }
  }
  if (job.server) {
    context.keepAlive()
    await fromServer(job, info, context)
    return undefined
  }
  throw (
    lastError ??
    new FerryError('media-not-found', `${info.mediaId}: no online peer holds it and this server keeps no media`)
  )
}

async function fromPeer(job: DownloadJob, info: MediaInfo, peer: string, context: TaskContext): Promise<void> {
  const writer = await job.cache.create(info)
  const sink: TransferSink<void> = {
    write: (data) => writer.write(data),
    async finish(sha256) {
      checkDigest(info, sha256)
      checkAborted(context.signal)
      await writer.finish()
    },
    abort: () => writer.abort(),
  }
  // A peer that claims the media and never sends it costs this download one source timeout.
  let silent = false
  let giveUp = () => {}
  const idle = new IdleTimer(job.sourceTimeoutMs, () => {
    silent = true
    giveUp()
  })
  const fetch = job.peerMedia.fetch(job.link(peer), info, sink, (received) => {
    idle.touch()
    context.progress(received, info.size)
  })
  giveUp = () => fetch.cancel()
  const onAbort = () => fetch.cancel()
  context.signal.addEventListener('abort', onAbort, { once: true })
  try {
    await fetch.done
  } catch (err) {
    if (silent) throw new FerryError('idle-timeout', `${peer} sent nothing for ${job.sourceTimeoutMs} ms`)
    throw err
  } finally {
    idle.stop()
    context.signal.removeEventListener('abort', onAbort)
  }
}

async function fromServer(job: DownloadJob, info: MediaInfo, context: TaskContext): Promise<void> {
  const writer: MediaWriter = await job.cache.create(info)
  try {
    const hasher = await job.platform.createHasher()
    await downloadFromServer(
      job.server!,
      info,
      async (data) => {
        hasher.update(data)
        await writer.write(data)
      },
      { signal: context.signal, onProgress: (received) => context.progress(received, info.size) },
    )
    checkDigest(info, toHex(hasher.digest()))
    checkAborted(context.signal)
    await writer.finish()
  } catch (err) {
    await writer.abort().catch(() => {})
    throw err
  }
}

function checkDigest(info: MediaInfo, sha256: string): void {
  if (sha256 !== info.sha256) {
    throw new FerryError('integrity-mismatch', `${info.mediaId}: SHA-256 ${sha256} is not the published ${info.sha256}`)
  }
}

async function readAll(cache: MediaCache, mediaId: string): Promise<Uint8Array> {
  const source = await cache.open(mediaId)
  try {
    const data = new Uint8Array(source.size)
    const read = await source.readInto(data, 0)
    if (read !== data.length) throw new FerryError('file-read-error', `read ${read} of ${data.length} bytes`)
    return data
  } finally {
    await source.close().catch(() => {})
  }
}
