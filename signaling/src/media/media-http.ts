import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { MediaInfo } from '@ferry/protocol'
import { MAX_MEDIA_REQUEST_BYTES } from '../constants.js'
import { describeError } from '../describe-error.js'
import { drain, readJsonBody, requestBody, sendError, sendJson } from '../http/http-io.js'
import type { HttpRequest } from '../http/http-request.js'
import type { HttpHandler } from '../http/request-router.js'
import type { Logger } from '../logger.js'
import type { CorsOrigin } from '../types.js'
import { allowOrigin, answerPreflight } from './cors.js'
import type { MediaKeys } from './media-keys.js'
import { isMediaStoreError, type MediaRefusal, type MediaStoreError } from './media-refusal.js'
import { type MediaRoute, parseMediaRoute } from './media-routes.js'
import type { MediaRead, MediaStore } from './media-store.js'
import { checkUploadRequest } from './upload-request.js'

export interface MediaHttpContext {
  /** The store and its session keys; undefined on a server that keeps no media, where every route is 404. */
  media: { store: MediaStore; keys: MediaKeys } | undefined
  corsOrigin: CorsOrigin
  logger: Logger
}

/** The HTTP status of each refusal, as the contract in `@ferry/protocol`'s `media-http.ts` lists them. */
export const MEDIA_REFUSAL_STATUS = {
  'bad-request': 400,
  'not-found': 404,
  'not-uploader': 403,
  'id-taken': 409,
  'wrong-offset': 409,
  'too-large': 413,
  'past-size': 413,
  'bad-range': 416,
  'integrity-mismatch': 422,
  'too-many-uploads': 429,
  'storage-full': 507,
} as const satisfies Record<MediaRefusal, number>

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,256})$/i
/** A mime type as RFC 6838 names them: only such a one is echoed in Content-Type. */
const MIME = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/

/**
 * The media routes (`/media/...`), for requests whose path is under MEDIA_HTTP_PREFIX. Nothing a client
 * sends makes this throw: a store failure is a 500.
 */
export function createMediaHandler(context: MediaHttpContext): HttpHandler {
  return (request, req, res) =>
    serve(context, request, req, res)
      .catch((error: unknown) => {
        if (req.destroyed || res.destroyed) return
        context.logger.warn(`media request failed: ${describeError(error)}`)
        if (res.headersSent) res.destroy()
        else sendError(res, 500, 'unknown', 'the media store failed')
      })
      .catch(() => {
        res.destroy()
      })
      .finally(() => drain(req))
}

async function serve(
  context: MediaHttpContext,
  request: HttpRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  allowOrigin(request.headers.origin, res, context.corsOrigin)
  if (request.method === 'OPTIONS') {
    answerPreflight(res)
    return
  }
  if (!context.media) {
    sendError(res, 404, 'media-not-found', 'this server keeps no media')
    return
  }
  const { store, keys } = context.media
  const user = await userOf(request.headers.authorization, keys)
  if (user === undefined) {
    sendError(res, 401, 'not-logged-in', 'the media routes need Authorization: Bearer <key of a live session>')
    return
  }
  const route = parseMediaRoute(request.method, request.path, request.query, request.headers.range)
  if (route.kind === 'miss') {
    if (route.allow !== undefined) res.setHeader('allow', route.allow)
    sendError(res, route.status, 'invalid-argument', route.message)
    return
  }
  try {
    await answer(store, user, route, request, req, res)
  } catch (error) {
    if (!isMediaStoreError(error)) throw error
    sendRefusal(res, error)
  }
}

async function answer(
  store: MediaStore,
  user: string,
  route: MediaRoute,
  http: HttpRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  switch (route.kind) {
    case 'start': {
      const body = await readJsonBody(req, http.headers.contentLength, MAX_MEDIA_REQUEST_BYTES)
      if (!body.ok) {
        sendError(res, 400, 'invalid-argument', body.message)
        return
      }
      const request = checkUploadRequest(body.value, store.maxBytes)
      if (isMediaStoreError(request)) throw request
      sendJson(res, 200, await store.start(route.mediaId, user, request))
      return
    }
    case 'append': {
      const state = await store.append(route.mediaId, user, route.offset, requestBody(req), http.headers.contentLength)
      sendJson(res, 200, state)
      return
    }
    case 'info': {
      const info = await store.info(route.mediaId)
      if (info) sendJson(res, 200, info satisfies MediaInfo)
      else sendError(res, 404, 'media-not-found', 'no such media: never uploaded, expired or deleted')
      return
    }
    case 'download':
      await download(await store.read(route.mediaId, route.range), route.range !== undefined, res)
      return
    case 'delete':
      await store.delete(route.mediaId, user)
      res.writeHead(204, { 'content-length': '0' })
      res.end()
      return
  }
}

/** Streams a media, 206 with Content-Range when a range was asked for. Served so no browser runs it. */
async function download(read: MediaRead, ranged: boolean, res: ServerResponse): Promise<void> {
  const { info, start, end, stream } = read
  const mime = info.mime.split(';')[0]?.trim() ?? ''
  res.writeHead(ranged ? 206 : 200, {
    'content-type': MIME.test(mime) ? mime : 'application/octet-stream',
    'content-length': end - start + 1,
    ...(ranged ? { 'content-range': `bytes ${start}-${end}/${info.size}` } : {}),
    'accept-ranges': 'bytes',
    etag: `"${info.sha256}"`,
    'content-disposition': 'attachment',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  })
  try {
    await pipeline(stream, res)
  } catch {
    // The client went away mid-download; it resumes with a range.
  }
}

function sendRefusal(res: ServerResponse, error: MediaStoreError): void {
  sendError(
    res,
    MEDIA_REFUSAL_STATUS[error.reason],
    error.code,
    error.message,
    error.reason === 'wrong-offset' ? error.received : undefined,
  )
}

async function userOf(authorization: string | undefined, keys: MediaKeys): Promise<string | undefined> {
  const match = BEARER.exec(authorization ?? '')
  return match?.[1] === undefined ? undefined : await keys.userOf(match[1])
}
