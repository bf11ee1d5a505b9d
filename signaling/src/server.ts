import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type ServerOptions } from 'socket.io'
import { createAuthMiddleware } from './auth.js'
import { DEFAULT_HOST, MAX_HTTP_BUFFER_BYTES } from './constants.js'
import { createHealthHandler } from './health.js'
import { type Logger, quietLogger } from './logger.js'
import { registerRelay } from './relay.js'
import { registerRouting } from './routing.js'
import { startSession } from './session.js'
import { InMemorySessionStore, type SessionStore } from './session-store.js'
import type { CorsOrigin, FerryServer } from './types.js'

export interface SignalingServerOptions {
  /** Port to listen on; 0 picks a free one (read it back from `port`). */
  port: number
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string
  /** When set, logins need an HS256 JWT signed with it (at least 32 bytes). Otherwise any user id is accepted. */
  jwtSecret?: string
  /** Allowed browser origins. Default: any. */
  corsOrigin?: CorsOrigin
  /** Who is online. Default: an `InMemorySessionStore`. */
  sessionStore?: SessionStore
  /** Where to log. Default: nowhere. */
  logger?: Logger
}

export interface SignalingServer {
  /** The port actually listened on. */
  port: number
  /** `http://host:port`, what clients connect to. */
  url: string
  io: FerryServer
  /** Disconnects every socket and closes the HTTP server. Safe to call more than once. */
  close(): Promise<void>
}

export async function createSignalingServer(options: SignalingServerOptions): Promise<SignalingServer> {
  const host = options.host ?? DEFAULT_HOST
  const store = options.sessionStore ?? new InMemorySessionStore()
  const logger = options.logger ?? quietLogger
  const auth = createAuthMiddleware(options.jwtSecret, logger)

  const http = createServer(createHealthHandler(store, logger))
  const socketOptions: Partial<ServerOptions> = {
    maxHttpBufferSize: MAX_HTTP_BUFFER_BYTES,
    cors: { origin: options.corsOrigin ?? true },
  }
  const io: FerryServer = new Server(http, socketOptions)

  io.use(auth)
  io.on('connection', (socket) => {
    registerRouting(socket, { io, store, logger })
    registerRelay(socket, { io, store, logger })
    void startSession(socket, { io, store, logger })
  })

  try {
    await listen(http, options.port, host)
  } catch (error) {
    await io.close()
    throw error
  }
  const port = (http.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    io,
    close() {
      closing ??= io.close()
      return closing
    },
  }
}

function listen(http: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, host, () => {
      http.off('error', reject)
      resolve()
    })
  })
}
