import type { ServerResponse } from 'node:http'
import { MEDIA_CORS_MAX_AGE_SECONDS } from '../constants.js'
import type { CorsOrigin } from '../types.js'

/** What browsers may send to the media routes: the bearer key, a JSON upload request, a download range. */
const ALLOWED_HEADERS = 'authorization, content-type, range'
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE'
/** What pages may read of an answer besides the basics: the size, and the span of a ranged download. */
const EXPOSED_HEADERS = 'content-length, content-range'
/** An origin as browsers send it: printable ASCII only, so it is safe to echo back in a header. */
const ORIGIN_SHAPE = /^[\x21-\x7e]{1,2048}$/

/**
 * CORS for the media routes and the server API, by the server's `corsOrigin` (the same rule Socket.IO applies): an allowed
 * `origin` (the request's Origin, parsed) is echoed back, any other gets no CORS headers and the browser keeps the answer from the page.
 * The key travels in a header, never a cookie, so no credentials mode is needed.
 */
export function allowOrigin(origin: string | undefined, res: ServerResponse, corsOrigin: CorsOrigin): void {
  if (origin === undefined) return
  res.setHeader('vary', 'Origin')
  if (!ORIGIN_SHAPE.test(origin) || !isAllowed(origin, corsOrigin)) return
  res.setHeader('access-control-allow-origin', origin)
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS)
}

/**
 * Answers an OPTIONS preflight; `allowOrigin` already decided whether the origin gets through.
 * `allowedHeaders` are the request headers the routes read (default: the media routes').
 */
export function answerPreflight(res: ServerResponse, allowedHeaders = ALLOWED_HEADERS): void {
  res.writeHead(204, {
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': allowedHeaders,
    'access-control-max-age': String(MEDIA_CORS_MAX_AGE_SECONDS),
    'content-length': '0',
  })
  res.end()
}

function isAllowed(origin: string, corsOrigin: CorsOrigin): boolean {
  if (typeof corsOrigin === 'boolean') return corsOrigin
  return typeof corsOrigin === 'string' ? corsOrigin === origin : corsOrigin.includes(origin)
}
