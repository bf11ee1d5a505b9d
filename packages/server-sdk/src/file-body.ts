import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { FerryError } from '@ferry/protocol'

/** A file to send: a path (streamed from disk, never read whole), a Blob (or File), or bytes. */
export type FileInput = string | Blob | Uint8Array

/** The name, mime and attributes of a file send; mtype and mid are the message's. */
export interface FileSendOptions {
  /** 40 (image: width and height read from it by the server), 41, 42, 50 (default) or 51–127. */
  mtype?: number
  /** Custom attributes, at most MAX_ATTRS_BYTES of UTF-8. */
  attrs?: string
  /** Dedupe key: a resend with the same mid is not delivered (nor stored) twice. */
  mid?: string
  /** Default: the path's base name, a File's name, else the server's default. */
  fileName?: string
  /** Default: a Blob's type, else application/octet-stream. */
  mime?: string
}

/** What `fetch` sends for a file: the body, and the headers that describe it. */
export interface FileBody {
  body: NonNullable<RequestInit['body']>
  headers: Record<string, string>
  /** A stream body needs `duplex: 'half'`. */
  streamed: boolean
}

/** The request body of a file upload. A path that cannot be read rejects with `file-read-error`. */
export async function fileBody(file: FileInput, options: FileSendOptions): Promise<FileBody> {
  const headers: Record<string, string> = {}
  let body: NonNullable<RequestInit['body']>
  let streamed = false
  let name = options.fileName
  let mime = options.mime
  if (typeof file === 'string') {
    try {
      const info = await stat(file)
      if (!info.isFile()) throw new Error('not a file')
    } catch (error) {
      throw new FerryError('file-read-error', `cannot read ${file}: ${String(error)}`)
    }
    body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>
    streamed = true
    name ??= basename(file)
  } else if (file instanceof Blob) {
    body = file
    if ('name' in file && typeof file.name === 'string') name ??= file.name
    if (file.type !== '') mime ??= file.type
  } else {
    body = new Blob([file as Uint8Array<ArrayBuffer>])
  }
  headers['content-type'] = mime ?? 'application/octet-stream'
  if (name !== undefined) headers['x-ferry-file-name'] = encodeURIComponent(name)
  if (options.attrs !== undefined) headers['x-ferry-attrs'] = encodeURIComponent(options.attrs)
  return { body, headers, streamed }
}
