import type { IncomingMessage, ServerResponse } from 'node:http'
import { PassThrough, type Readable } from 'node:stream'
import type { FerryErrorCode, MediaHttpError } from '@ferry/protocol'

/** Sends `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  })
  res.end(json)
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: FerryErrorCode,
  message: string,
  received?: number,
): void {
  const body: MediaHttpError = received === undefined ? { code, message } : { code, message, received }
  sendJson(res, status, body)
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string }

/**
 * Reads a JSON request body of at most `maxBytes`. A bigger one is refused as soon as it shows (by its
 * declared length, the parsed Content-Length, or once that many bytes arrived) and the rest is read and
 * dropped, so the answer still reaches the client. Never rejects.
 */
export function readJsonBody(
  req: IncomingMessage,
  declaredBytes: number | undefined,
  maxBytes: number,
): Promise<JsonBody> {
  const tooBig: JsonBody = { ok: false, message: `the request body is over ${maxBytes} bytes` }
  if (declaredBytes !== undefined && declaredBytes > maxBytes) return Promise.resolve(tooBig)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = (result: JsonBody): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('close', onClose)
      resolve(result)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBytes) done(tooBig)
      else chunks.push(chunk)
    }
    const onEnd = (): void => done(parseJson(Buffer.concat(chunks).toString('utf8')))
    const onClose = (): void => done({ ok: false, message: 'the request ended early' })
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('close', onClose)
  })
}

/**
 * The request body as a stream of its own, so a consumer that gives up on it (destroys it) leaves the
 * request, and the connection, alive to carry the answer. A client that goes away midway fails it.
 */
export function requestBody(req: IncomingMessage): Readable {
  const body = new PassThrough()
  // The consumer may not be reading yet (it waits for a media lock, say) when the client goes away:
  // the error stays on the stream (`errored`) for the consumer to meet, instead of being thrown.
  body.on('error', () => {})
  req.pipe(body)
  req.once('close', () => {
    if (!req.complete) body.destroy(new Error('the client went away mid-request'))
  })
  return body
}

/** Reads and drops whatever of the request body nobody read, so the connection can carry the next request. */
export function drain(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return
  req.unpipe()
  req.resume()
}

function parseJson(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, message: 'the request body is not JSON' }
  }
}
