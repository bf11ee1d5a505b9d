import {
  FerryError,
  isErrorCode,
  MEDIA_HTTP_PREFIX,
  MEDIA_PIECE_BYTES,
  type MediaHttpError,
  type MediaInfo,
  type MediaUploadRequest,
  type MediaUploadState,
  mediaInfoError,
} from '@ferry/protocol'
import type { FileSource } from '../types.js'
import { abortReason } from './abort.js'

/** A piece that fails this many times in a row (network errors, not refusals) fails the upload or download. */
const MAX_ATTEMPTS = 3

/** The signaling server's media store, as one logged-in user reaches it (see media-http.ts in the protocol). */
export interface ServerStore {
  /** The signaling server's URL. */
  url: string
  /** The session's bearer key. */
  key: string
  maxBytes: number
}

export interface Progress {
  signal: AbortSignal
  onProgress(transferred: number): void
}

/** Metadata of a complete media on the server; `media-not-found` when it has none (unknown or expired). */
export async function fetchServerInfo(store: ServerStore, mediaId: string, signal: AbortSignal): Promise<MediaInfo> {
  const response = await call(store, `${mediaId}/info`, { method: 'GET', signal })
  const info: unknown = await response.json().catch(() => undefined)
  const bad = mediaInfoError(info)
  if (bad) throw new FerryError('protocol-error', `the server's media info: ${bad}`)
  return info as MediaInfo
}

/**
 * Uploads `source` (of `info.size` bytes) in MEDIA_PIECE_BYTES requests, resuming where the server
 * stands after a failed piece. Resolves with the server's state once the last byte is in and checked.
 */
export async function uploadToServer(
  store: ServerStore,
  info: Pick<MediaInfo, 'mediaId' | 'fileName' | 'size' | 'mime' | 'sha256'>,
  source: FileSource,
  progress: Progress,
): Promise<MediaUploadState> {
  const request: MediaUploadRequest = { size: info.size, fileName: info.fileName, mime: info.mime, sha256: info.sha256 }
  // Starts the upload, or (asked again after a failed piece) says where the server stands.
  const where = async () =>
    readState(
      await call(store, info.mediaId, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: progress.signal,
      }),
    )
  let state = await where()
  progress.onProgress(state.received)
  // The next piece is read while the current one is on the wire, so disk and network overlap.
  const readPiece = (offset: number) => readAt(source, offset, Math.min(MEDIA_PIECE_BYTES, info.size - offset))
  let next: { offset: number; bytes: Promise<Uint8Array<ArrayBuffer>> } | undefined
  let failures = 0
  while (!state.complete) {
    const offset = state.received
    const bytes = next?.offset === offset ? next.bytes : readPiece(offset)
    const body = await bytes
    const following = offset + body.length
    next = following < info.size ? { offset: following, bytes: readPiece(following) } : undefined
    next?.bytes.catch(() => {}) // awaited on the next turn, or dropped if the server says otherwise
    try {
      state = await readState(
        await call(store, `${info.mediaId}/content?offset=${offset}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream' },
          body,
          signal: progress.signal,
        }),
      )
      failures = 0
    } catch (caught) {
      const err = asNetworkError(caught, progress.signal)
      if (!isRetryable(err) || ++failures >= MAX_ATTEMPTS) throw err
      state = await where()
    }
    progress.onProgress(state.received)
  }
  return state
}

/** Streams a media from the server into `write`, from `offset`, resuming after a dropped response. */
export async function downloadFromServer(
  store: ServerStore,
  info: MediaInfo,
  write: (data: Uint8Array) => Promise<void>,
  progress: Progress,
): Promise<void> {
  let received = 0
  let failures = 0
  while (received < info.size) {
    try {
      const response = await call(store, info.mediaId, {
        method: 'GET',
        headers: received > 0 ? { range: `bytes=${received}-` } : {},
        signal: progress.signal,
      })
      if (received > 0 && response.status !== 206)
        throw new FerryError('protocol-error', 'the server ignored the range')
      if (!response.body) throw new FerryError('protocol-error', 'a media response without a body')
      const reader = response.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (received + value.length > info.size) {
          await reader.cancel().catch(() => {})
          throw new FerryError('protocol-error', `the server sent more than ${info.size} bytes`)
        }
        await write(value)
        received += value.length
        failures = 0
        progress.onProgress(received)
      }
      if (received < info.size && ++failures >= MAX_ATTEMPTS) {
        throw new FerryError('server-unreachable', `the download stopped at ${received} of ${info.size} bytes`)
      }
    } catch (caught) {
      const err = asNetworkError(caught, progress.signal)
      if (!isRetryable(err) || ++failures >= MAX_ATTEMPTS) throw err
    }
  }
}

/** Withdraws an upload (finished or not). Best effort: the server sweeps what is left anyway. */
export async function deleteFromServer(store: ServerStore, mediaId: string): Promise<void> {
  await call(store, mediaId, { method: 'DELETE' }).catch(() => {})
}

/** `length` bytes of the source at `offset`, in a buffer of their own (a request body is kept until it is sent). */
async function readAt(source: FileSource, offset: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(length)
  const read = await source.readInto(bytes, offset)
  if (read !== length) throw new FerryError('file-read-error', `read ${read} of ${length} bytes at ${offset}`)
  return bytes
}

async function call(store: ServerStore, path: string, init: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(new URL(MEDIA_HTTP_PREFIX + path, store.url), {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${store.key}` },
    })
  } catch (err) {
    if (init.signal?.aborted) throw abortReason(init.signal)
    throw new FerryError('server-unreachable', err instanceof Error ? err.message : String(err))
  }
  if (response.ok) return response
  const body = (await response.json().catch(() => undefined)) as Partial<MediaHttpError> | undefined
  const code = isErrorCode(body?.code) ? body.code : response.status === 404 ? 'media-not-found' : 'unknown'
  throw new FerryError(code, body?.message ?? `the media store answered ${response.status}`)
}

async function readState(response: Response): Promise<MediaUploadState> {
  const state = (await response.json().catch(() => undefined)) as MediaUploadState | undefined
  if (typeof state?.received !== 'number' || typeof state.complete !== 'boolean') {
    throw new FerryError('protocol-error', 'the media store sent no upload state')
  }
  return state
}

/** A body stream that broke off (a TypeError in fetch) is network trouble, unless we aborted it. */
function asNetworkError(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return abortReason(signal)
  if (err instanceof FerryError) return err
  return new FerryError('server-unreachable', err instanceof Error ? err.message : String(err))
}

/** Network trouble is worth another try; a refusal from the server or a cancel is not. */
function isRetryable(err: unknown): boolean {
  return err instanceof FerryError && err.code === 'server-unreachable'
}
