import type { IncomingMessage, ServerResponse } from 'node:http'
import { SERVER_API_PREFIX } from '@ferry/protocol'
import { isMediaPath } from '../media/media-routes.js'
import { drain, sendError } from './http-io.js'
import { type HttpRequest, parseHttpRequest, type RequestRefusal } from './http-request.js'
import type { UnsafeListener } from './safety-net.js'

/** A route: takes the parsed request; `req` is there for its body only. */
export type HttpHandler = (request: HttpRequest, req: IncomingMessage, res: ServerResponse) => Promise<void>

export interface HttpRoutes {
  /** Paths under SERVER_API_PREFIX. */
  api: HttpHandler
  /** Paths under MEDIA_HTTP_PREFIX, and that prefix without its slash. */
  media: HttpHandler
  /** Every other path (Socket.IO answers its own before any of this). */
  other: HttpHandler
}

/**
 * Parses each request (see `parseHttpRequest`) and hands it to its route by path. A request that does
 * not parse is answered with its status and a JSON `invalid-argument` error, and its connection closed:
 * a client that sends those gets no second request on it.
 */
export function routeRequests(routes: HttpRoutes): UnsafeListener {
  return (req, res) => {
    const parsed = parseHttpRequest(req)
    if (!parsed.ok) {
      refuse(req, res, parsed.refusal)
      return
    }
    const { path } = parsed.request
    const route = path.startsWith(SERVER_API_PREFIX) ? routes.api : isMediaPath(path) ? routes.media : routes.other
    return route(parsed.request, req, res)
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: RequestRefusal): void {
  if (refusal.allow !== undefined) res.setHeader('allow', refusal.allow)
  res.setHeader('connection', 'close')
  sendError(res, refusal.status, 'invalid-argument', refusal.message)
  drain(req)
}
