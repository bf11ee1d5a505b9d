import type { IncomingMessage, ServerResponse } from 'node:http'
import { SERVER_API_PREFIX } from '@ferry/protocol'
import { MAX_API_REQUEST_BYTES } from '../constants.js'
import { describeError } from '../describe-error.js'
import { drain, readJsonBody, requestBody, sendError, sendJson } from '../http/http-io.js'
import type { HttpRequest } from '../http/http-request.js'
import type { HttpHandler } from '../http/request-router.js'
import type { Logger } from '../logger.js'
import { allowOrigin, answerPreflight } from '../media/cors.js'
import type { CorsOrigin } from '../types.js'
import { hasAdminKey } from './admin-key.js'
import { ApiRefusal, badArgument, isApiRefusal } from './api-refusal.js'
import type { FileSend, FileSendContext } from './file-send.js'
import { sendApiFile } from './file-send.js'
import { adminFileSend, issueFileToken, tokenFileSend } from './file-token-routes.js'
import type { FileTokens } from './file-tokens.js'
import { type ApiReply, changeMembers, createGroup, deleteGroup, getGroup, listGroups } from './group-routes.js'
import { sendApiMessage } from './message-send.js'

/** What browsers may send to the API: the admin key, the file's mime, and its name and attrs on uploads. */
const ALLOWED_HEADERS = 'authorization, content-type, x-ferry-file-name, x-ferry-attrs'

export interface ApiHttpContext extends FileSendContext {
  /** Undefined: every route answers 403. */
  adminKey: string | undefined
  tokens: FileTokens
  corsOrigin: CorsOrigin
  logger: Logger
}

/**
 * The server API (`/api/...`, see SERVER_API_PREFIX in `@ferry/protocol`), for requests whose path is
 * under that prefix. `context` is read per request: the server makes it once Socket.IO is up. Nothing a
 * caller sends makes this throw: a failure of the server's own is a 500.
 */
export function createApiHandler(context: () => ApiHttpContext | undefined): HttpHandler {
  return async (request, req, res) => {
    const api = context()
    if (!api) {
      sendError(res, 503, 'server-unreachable', 'the server is starting')
      drain(req)
      return
    }
    await serve(api, request, req, res)
      .catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return
        if (isApiRefusal(error)) {
          sendError(res, error.status, error.code, error.message)
          return
        }
        api.logger.warn(`server API request failed: ${describeError(error)}`)
        sendError(res, 500, 'unknown', 'the server failed')
      })
      .catch(() => res.destroy())
      .finally(() => drain(req))
  }
}

async function serve(
  context: ApiHttpContext,
  request: HttpRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  allowOrigin(request.headers.origin, res, context.corsOrigin)
  if (request.method === 'OPTIONS') {
    answerPreflight(res, ALLOWED_HEADERS)
    return
  }
  if (context.adminKey === undefined) {
    throw new ApiRefusal(403, 'bad-token', 'the server API is off: this server was started without an admin key')
  }
  const path = request.path.slice(SERVER_API_PREFIX.length).split('/')
  const { method } = request
  if (path[0] === 'upload' && path.length === 1) {
    allow(method, 'PUT')
    await sendFile(context, await tokenFileSend(context, request.query, request.headers), request, req, res)
    return
  }
  if (!hasAdminKey(request.headers.authorization, context.adminKey)) {
    throw new ApiRefusal(401, 'bad-token', 'this route needs Authorization: Bearer <the admin key>')
  }
  reply(res, await route(context, path, request, req, res))
}

/** The answer of an admin route; undefined when the route answered itself (a file send). */
async function route(
  context: ApiHttpContext,
  path: string[],
  request: HttpRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<ApiReply | undefined> {
  const { method } = request
  const jsonBody = (): Promise<unknown> => readApiJson(req, request.headers.contentLength)
  const [first, encodedGid, sub, ...rest] = path
  if (rest.length > 0) throw notFound()
  const gid = encodedGid === undefined ? undefined : decodePart(encodedGid)
  switch (first) {
    case 'messages':
      if (gid !== undefined) throw notFound()
      allow(method, 'POST')
      return { status: 200, body: await sendApiMessage(context, await jsonBody()) }
    case 'file-token':
      if (gid !== undefined) throw notFound()
      allow(method, 'POST')
      return { status: 200, body: await issueFileToken(context, await jsonBody()) }
    case 'files':
      if (gid !== undefined) throw notFound()
      allow(method, 'PUT')
      await sendFile(context, await adminFileSend(context, request.query, request.headers), request, req, res)
      return undefined
    case 'groups':
      if (gid === undefined || gid === '') {
        allow(method, 'GET, POST')
        return method === 'GET' ? listGroups(context.groups) : createGroup(context.groups, await jsonBody())
      }
      if (sub === 'members') {
        allow(method, 'POST')
        return changeMembers(context.groups, gid, await jsonBody())
      }
      if (sub !== undefined) throw notFound()
      allow(method, 'GET, DELETE')
      return method === 'GET' ? getGroup(context.groups, gid) : deleteGroup(context.groups, gid)
    default:
      throw notFound()
  }
}

async function sendFile(
  context: ApiHttpContext,
  send: FileSend,
  request: HttpRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  sendJson(res, 200, await sendApiFile(context, send, requestBody(req), request.headers.contentLength))
}

/** A JSON body; one whose Content-Length is over MAX_API_REQUEST_BYTES is a 413 before any is read. */
async function readApiJson(req: IncomingMessage, declaredBytes: number | undefined): Promise<unknown> {
  if (declaredBytes !== undefined && declaredBytes > MAX_API_REQUEST_BYTES) {
    throw new ApiRefusal(413, 'message-too-large', `the request body is over ${MAX_API_REQUEST_BYTES} bytes`)
  }
  const body = await readJsonBody(req, declaredBytes, MAX_API_REQUEST_BYTES)
  if (!body.ok) throw badArgument(body.message)
  return body.value
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw badArgument('a path part is not URI-encoded UTF-8')
  }
}

function reply(res: ServerResponse, answer: ApiReply | undefined): void {
  if (answer === undefined) return
  if (answer.body !== undefined) {
    sendJson(res, answer.status, answer.body)
    return
  }
  res.writeHead(answer.status, { 'content-length': '0' })
  res.end()
}

/** Throws 405 unless `method` is one of `allowed` (a comma-separated list). */
function allow(method: string, allowed: string): void {
  if (allowed.split(', ').includes(method)) return
  throw new ApiRefusal(405, 'invalid-argument', `this route takes ${allowed}`)
}

function notFound(): ApiRefusal {
  return new ApiRefusal(404, 'invalid-argument', 'no such server API route')
}
