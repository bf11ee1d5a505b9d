import { createServer, type RequestListener, type Server } from 'node:http'
import { FerryError } from '@ferry/protocol'
import {
  HTTP_HEADERS_TIMEOUT_MS,
  HTTP_KEEP_ALIVE_TIMEOUT_MS,
  HTTP_MAX_HEADER_BYTES,
  HTTP_MAX_HEADERS_COUNT,
  HTTP_REQUEST_TIMEOUT_MS,
  HTTP_TIMEOUT_CHECK_MS,
} from '../constants.js'
import { describeError } from '../describe-error.js'
import type { Logger } from '../logger.js'
import { answerClientError, OpenAnswers } from './client-error.js'
import { capConnectionsPerAddress } from './connection-cap.js'
import { safely } from './safety-net.js'

/** Limits of the HTTP server under Socket.IO, the media routes and the server API. Defaults suit production. */
export interface HttpLimits {
  /** Time to send a request's line and headers, in ms. Default HTTP_HEADERS_TIMEOUT_MS. */
  headersTimeoutMs?: number
  /** Time to send a whole request, body included, in ms; at least `headersTimeoutMs`. Default HTTP_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number
  /** How long an idle keep-alive connection stays open, in ms. Default HTTP_KEEP_ALIVE_TIMEOUT_MS. */
  keepAliveTimeoutMs?: number
  /** Largest request line plus headers, in bytes (431 past it). Default HTTP_MAX_HEADER_BYTES. */
  maxHeaderBytes?: number
}

export type HttpSettings = Required<HttpLimits>

/** Longest timeout Node's timers take: anything above fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** The limits with their defaults, checked: throws `invalid-argument` naming the first bad one. */
export function checkHttpLimits(limits: HttpLimits = {}): HttpSettings {
  const settings: HttpSettings = {
    headersTimeoutMs: whole(
      limits.headersTimeoutMs ?? HTTP_HEADERS_TIMEOUT_MS,
      'http.headersTimeoutMs',
      MAX_TIMEOUT_MS,
    ),
    requestTimeoutMs: whole(
      limits.requestTimeoutMs ?? HTTP_REQUEST_TIMEOUT_MS,
      'http.requestTimeoutMs',
      MAX_TIMEOUT_MS,
    ),
    keepAliveTimeoutMs: whole(
      limits.keepAliveTimeoutMs ?? HTTP_KEEP_ALIVE_TIMEOUT_MS,
      'http.keepAliveTimeoutMs',
      MAX_TIMEOUT_MS,
    ),
    maxHeaderBytes: whole(
      limits.maxHeaderBytes ?? HTTP_MAX_HEADER_BYTES,
      'http.maxHeaderBytes',
      Number.MAX_SAFE_INTEGER,
    ),
  }
  if (settings.requestTimeoutMs < settings.headersTimeoutMs) {
    throw new FerryError('invalid-argument', 'http.requestTimeoutMs must be at least http.headersTimeoutMs')
  }
  return settings
}

/** The HTTP server with its limits; `listener` runs inside the safety net (see `safely`). */
export function createHttpServer(settings: HttpSettings, listener: RequestListener, logger: Logger): Server {
  const server = createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      maxHeaderSize: settings.maxHeaderBytes,
      connectionsCheckingInterval: Math.min(HTTP_TIMEOUT_CHECK_MS, settings.headersTimeoutMs),
    },
    safely(listener, logger),
  )
  server.maxHeadersCount = HTTP_MAX_HEADERS_COUNT
  return server
}

/**
 * Seals `server` once every request listener is on it (Socket.IO puts its own in front of ours, handing
 * other paths on): each runs inside the safety net, malformed connections are answered as refusals
 * (see `answerClientError`), and one address holds at most `maxConnectionsPerAddress` connections.
 */
export function sealHttpServer(server: Server, maxConnectionsPerAddress: number, logger: Logger): void {
  const open = new OpenAnswers()
  const listeners = server.listeners('request') as RequestListener[]
  server.removeAllListeners('request')
  const guarded = listeners.map((listener) => safely(listener, logger))
  server.on('request', (req, res) => {
    open.track(req, res)
    res.on('error', (error: unknown) => logger.warn(`HTTP answer failed: ${describeError(error)}`))
    for (const listener of guarded) listener(req, res)
  })
  server.on('clientError', (error, socket) => answerClientError(error, socket, open))
  capConnectionsPerAddress(server, maxConnectionsPerAddress)
}

function whole(value: number, name: string, max: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new FerryError('invalid-argument', `${name} must be a whole number from 1 to ${max}`)
  }
  return value
}
