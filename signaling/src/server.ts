import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_RELAY_BYTES_PER_SECOND, type MediaStoreOffer, RELAY_USER_WINDOW_BYTES } from '@ferry/protocol'
import { Server, type ServerOptions } from 'socket.io'
import { checkAdminKey } from './api/admin-key.js'
import { type ApiHttpContext, createApiHandler } from './api/api-http.js'
import { checkServerApiOptions, type ServerApiOptions, serverApiContext } from './api/server-api.js'
import { createAuthMiddleware } from './auth.js'
import { DEFAULT_HOST, MAX_HTTP_BUFFER_BYTES } from './constants.js'
import { Deliveries } from './delivery/deliveries.js'
import { type GroupStore, InMemoryGroupStore } from './groups/group-store.js'
import { createHealthHandler } from './health.js'
import { type Logger, quietLogger } from './logger.js'
import { createMediaHandler } from './media/media-http.js'
import { type MediaStoreOptions, startMediaService } from './media/media-service.js'
import type { MediaStore } from './media/media-store.js'
import { registerMediaHolders } from './media-holders/holder-handlers.js'
import { MediaHolders } from './media-holders/media-holders.js'
import { type RelaySettings, registerRelay } from './relay.js'
import { leaveAllRooms, registerRooms } from './rooms/room-handlers.js'
import { RoomRegistry } from './rooms/room-registry.js'
import { registerRouting } from './routing.js'
import { type SessionOffer, startSession } from './session.js'
import { InMemorySessionStore, type SessionStore } from './session-store.js'
import { checkRelayBytesPerSecond, checkTurn } from './settings-checks.js'
import { type TurnSettings, turnCredentials } from './turn-credentials.js'
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
  /** Relay frames between users with no direct path. Default true; false refuses them with `no-route`. */
  relay?: boolean
  /**
   * Each user's relay budget in bytes per second, sustained (bursts reach RELAY_BURST_SECONDS of it).
   * Default DEFAULT_RELAY_BYTES_PER_SECOND; a user relaying faster is cut off with `rate-limited`.
   */
  relayBytesPerSecond?: number
  /**
   * The TURN server's shared secret (coturn `static-auth-secret`, with `use-auth-secret`). With
   * `turnUrls`, every `session:ready` carries TURN credentials valid TURN_CREDENTIAL_TTL_SECONDS.
   */
  turnSecret?: string
  /** The TURN server's URLs, e.g. `turn:turn.example.com:3478?transport=udp`. */
  turnUrls?: string[]
  /**
   * The media store, served over HTTP under `/media/` (see `media-http.ts` in `@ferry/protocol`).
   * Default: on, in a temporary directory that `close()` removes. `false`: no store, and `session:ready`
   * carries no `media`.
   */
  media?: false | MediaStoreOptions
  /**
   * The admin key of the server API under `/api/` (sends on behalf of users, groups, file tokens), at
   * least MIN_ADMIN_KEY_CHARS characters. Unset: every `/api/` route answers 403.
   */
  adminKey?: string
  /** The server API's groups. Default: an `InMemoryGroupStore`. */
  groupStore?: GroupStore
  /** Tuning of the server API: file token lifetime, send rate per user. */
  serverApi?: ServerApiOptions
}

export interface SignalingServer {
  /** The port actually listened on. */
  port: number
  /** `http://host:port`, what clients connect to. */
  url: string
  io: FerryServer
  /** The media store; absent when the `media` option is `false`. */
  media?: MediaStore
  /** Server-routed messages: delivery by user id, store-and-forward, dedupe by mid. */
  deliveries: Deliveries
  /** Who is in which room. */
  rooms: RoomRegistry
  /** The server API's groups. */
  groups: GroupStore
  /** Who said they hold which media (`media:have`), for downloads from peers other than the uploader. */
  mediaHolders: MediaHolders
  /** Disconnects every socket and closes the HTTP server. Safe to call more than once. */
  close(): Promise<void>
}

export async function createSignalingServer(options: SignalingServerOptions): Promise<SignalingServer> {
  const host = options.host ?? DEFAULT_HOST
  const store = options.sessionStore ?? new InMemorySessionStore()
  const logger = options.logger ?? quietLogger
  const auth = createAuthMiddleware(options.jwtSecret, logger)
  const relay: RelaySettings = {
    enabled: options.relay ?? true,
    bytesPerSecond: checkRelayBytesPerSecond(
      options.relayBytesPerSecond ?? DEFAULT_RELAY_BYTES_PER_SECOND,
      'relayBytesPerSecond',
    ),
  }
  const turn = checkTurn(options.turnSecret, options.turnUrls, { secret: 'turnSecret', urls: 'turnUrls' })
  const offer = sessionOffer(relay, turn)
  const adminKey = options.adminKey === undefined ? undefined : checkAdminKey(options.adminKey, 'adminKey')
  const apiSettings = checkServerApiOptions(options.serverApi)
  const media = options.media === false ? undefined : await startMediaService(options.media ?? {}, logger)

  const groups = options.groupStore ?? new InMemoryGroupStore()
  let api: ApiHttpContext | undefined
  const http = createServer(
    createApiHandler(
      () => api,
      createMediaHandler({ media, corsOrigin: options.corsOrigin ?? true, logger }, createHealthHandler(store, logger)),
    ),
  )
  const socketOptions: Partial<ServerOptions> = {
    maxHttpBufferSize: MAX_HTTP_BUFFER_BYTES,
    cors: { origin: options.corsOrigin ?? true },
  }
  const io: FerryServer = new Server(http, socketOptions)
  const deliveries = new Deliveries({ io, store })
  const rooms = new RoomRegistry()
  api = serverApiContext(
    {
      adminKey,
      groups,
      rooms,
      deliveries,
      sessions: store,
      media: media?.store,
      corsOrigin: options.corsOrigin ?? true,
      logger,
    },
    apiSettings,
  )
  const mediaHolders = new MediaHolders()

  io.use(auth)
  io.on('connection', (socket) => {
    registerRouting(socket, { io, store, logger })
    registerRelay(socket, { io, store, logger, settings: relay })
    registerRooms(socket, { io, logger, rooms, deliveries })
    registerMediaHolders(socket, { store, logger, holders: mediaHolders })
    void startSession(socket, {
      io,
      store,
      logger,
      offer: withMedia(offer, media?.admit(socket)),
      onReady: (ready) => deliveries.flush(ready),
      onOffline: (userId) => {
        leaveAllRooms(io, rooms, userId)
        mediaHolders.forget(userId)
      },
    })
  })

  try {
    await listen(http, options.port, host)
  } catch (error) {
    await io.close()
    await media?.close()
    throw error
  }
  const port = (http.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  const server: SignalingServer = {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    io,
    deliveries,
    rooms,
    groups,
    mediaHolders,
    close() {
      closing ??= io.close().finally(() => media?.close())
      return closing
    },
  }
  if (media) server.media = media.store
  return server
}

/** The offer with this socket's media key, when the server keeps media. */
function withMedia(
  offer: (userId: string) => SessionOffer,
  media: MediaStoreOffer | undefined,
): (userId: string) => SessionOffer {
  return media === undefined ? offer : (userId) => ({ ...offer(userId), media })
}

/** What each login is told about ICE servers and the relay. */
function sessionOffer(relay: RelaySettings, turn: TurnSettings | undefined): (userId: string) => SessionOffer {
  return (userId) => {
    const offer: SessionOffer = { iceServers: turn ? [turnCredentials(turn, userId)] : [], relay: relay.enabled }
    if (relay.enabled) {
      offer.relayBytesPerSecond = relay.bytesPerSecond
      offer.relayWindowBytes = RELAY_USER_WINDOW_BYTES
    }
    return offer
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
