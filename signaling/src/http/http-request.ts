import type { IncomingMessage } from 'node:http'
import { parseHeaders, type RequestHeaders } from './request-headers.js'
import { parseTarget, type RequestTarget } from './request-target.js'

/**
 * The methods a route may take or answer with its own 405 and Allow: RFC 9110's with a body or
 * without, and PATCH. Node's parser passes on more (TRACE, PROPFIND, LOCK, …): those are refused
 * before any route.
 */
const KNOWN_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'] as const

export type HttpMethod = (typeof KNOWN_METHODS)[number]

/** The Allow of a 405 to a method no route takes: what the routes, together, take. */
export const SERVED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS'

/** An HTTP request as the routes see it: every part they read, checked. */
export interface HttpRequest extends RequestTarget {
  method: HttpMethod
  headers: RequestHeaders
}

/** Why a request reached no route: answered with `status` and a JSON `invalid-argument` error. */
export interface RequestRefusal {
  status: 400 | 405
  message: string
  /** On 405: the methods the server takes. */
  allow?: string
}

export type RequestParse = { ok: true; request: HttpRequest } | { ok: false; refusal: RequestRefusal }

/** Parses what the routes read of a request (method, target, headers); the body is still to come. Never throws. */
export function parseHttpRequest(req: IncomingMessage): RequestParse {
  const method = req.method ?? ''
  if (!isKnownMethod(method)) {
    return { ok: false, refusal: { status: 405, message: `this server takes no ${method}`, allow: SERVED_METHODS } }
  }
  const target = parseTarget(req.url ?? '')
  if (!target.ok) return { ok: false, refusal: { status: 400, message: target.message } }
  const headers = parseHeaders(req.rawHeaders)
  if (!headers.ok) return { ok: false, refusal: { status: 400, message: headers.message } }
  return { ok: true, request: { method, ...target.target, headers: headers.headers } }
}

function isKnownMethod(method: string): method is HttpMethod {
  return (KNOWN_METHODS as readonly string[]).includes(method)
}
