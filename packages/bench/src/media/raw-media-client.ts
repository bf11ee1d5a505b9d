import { createWriteStream, openAsBlob } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

/** PUTs the file at `path` as one streamed body (a Blob backed by the file); resolves once the server stored it. */
export async function rawUpload(url: string, path: string): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body: await openAsBlob(path) })
  if (!response.ok) throw new Error(`the raw server answered the upload with ${response.status}`)
}

/** GETs `url` and streams the body into a new file at `path`. */
export async function rawDownload(url: string, path: string): Promise<void> {
  const response = await fetch(url)
  if (!response.ok || !response.body) throw new Error(`the raw server answered the download with ${response.status}`)
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), createWriteStream(path))
}
