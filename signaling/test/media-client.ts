import { createHash, randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { MEDIA_ID_BYTES, type MediaUploadRequest } from '@ferry/protocol'
import type { SignalingServer, SignalingServerOptions } from '../src/index.js'
import { KEY_SECRET_FILE } from '../src/media/key-secret.js'
import { type Client, login, startServer } from './harness.js'

/** A fresh media id, made as clients make them. */
export function newMediaId(): string {
  return randomBytes(MEDIA_ID_BYTES).toString('base64url')
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The upload request for `content`, with any field overridden. */
export function uploadRequest(content: Uint8Array, fields: Partial<MediaUploadRequest> = {}): MediaUploadRequest {
  return { size: content.length, fileName: 'photo.jpg', mime: 'image/jpeg', sha256: sha256(content), ...fields }
}

/** The media routes as a client calls them over HTTP, with one session's key. */
export class MediaApi {
  constructor(
    readonly url: string,
    readonly key: string | undefined,
  ) {}

  start(mediaId: string, request: unknown): Promise<Response> {
    return this.call('POST', mediaId, {
      body: JSON.stringify(request),
      headers: { 'content-type': 'application/json' },
    })
  }

  put(mediaId: string, offset: number, body: Uint8Array | ReadableStream<Uint8Array>): Promise<Response> {
    const init = body instanceof Uint8Array ? { body } : { body, duplex: 'half' }
    return this.call('PUT', `${mediaId}/content?offset=${offset}`, init as RequestInit)
  }

  info(mediaId: string): Promise<Response> {
    return this.call('GET', `${mediaId}/info`)
  }

  download(mediaId: string, range?: string): Promise<Response> {
    return this.call('GET', mediaId, range === undefined ? {} : { headers: { range } })
  }

  delete(mediaId: string): Promise<Response> {
    return this.call('DELETE', mediaId)
  }

  /** Any method on any path under `/media/`, the key attached. */
  call(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.key !== undefined) headers.set('authorization', `Bearer ${this.key}`)
    return fetch(`${this.url}/media/${path}`, { ...init, method, headers })
  }
}

/** Uploads `content` in pieces of `pieceBytes`; resolves with the last answer's JSON. */
export async function uploadAll(api: MediaApi, mediaId: string, content: Uint8Array, pieceBytes: number) {
  const started = await api.start(mediaId, uploadRequest(content))
  if (started.status !== 200) throw new Error(`start: ${started.status} ${await started.text()}`)
  let last: unknown = await started.json()
  for (let offset = 0; offset < content.length; offset += pieceBytes) {
    const res = await api.put(mediaId, offset, content.subarray(offset, offset + pieceBytes))
    if (res.status !== 200) throw new Error(`put at ${offset}: ${res.status} ${await res.text()}`)
    last = await res.json()
  }
  return last
}

export interface MediaTestServer {
  server: SignalingServer
  /** The store's directory. */
  dir: string
  /** Logs `userId` in; its client stays connected (so its key stays valid) until closed. */
  user(userId: string): Promise<{ api: MediaApi; client: Client }>
}

/** A server on a free port with its media store on; `t.after` closes it. */
export async function startMediaServer(
  t: { after(fn: () => Promise<void> | void): void },
  options: Partial<SignalingServerOptions> = {},
): Promise<MediaTestServer> {
  const { server, connect } = await startServer(t, options)
  const store = server.media
  if (!store) throw new Error('the server has no media store')
  return {
    server,
    dir: store.dir,
    async user(userId) {
      const client = connect({ userId })
      const ready = await login(client)
      if (!ready.media) throw new Error('session:ready offers no media store')
      return { api: new MediaApi(server.url, ready.media.key), client }
    },
  }
}

/** The names in a store's directory, sorted, but the secret its media keys are signed with. */
export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== KEY_SECRET_FILE).sort()
}

/** Random bytes to upload. */
export function content(bytes: number): Uint8Array {
  return new Uint8Array(randomBytes(bytes))
}
