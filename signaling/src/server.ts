import type { Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  DEFAULT_RELAY_BYTES_PER_SECOND,
  FerryError,
  type MediaStoreOffer,
  RELAY_USER_WINDOW_BYTES,
} from '@ferry/protocol'
import { Server, type ServerOptions } from 'socket.io'
import { checkAdminKey } from './api/admin-key.js'
import { type ApiHttpContext, createApiHandler } from './api/api-http.js'
import { checkServerApiOptions, type ServerApiOptions, serverApiContext } from './api/server-api.js'
import { createAuthMiddleware, type TokenRules } from './auth.js'
import {
  DEFAULT_HOST,
  DEFAULT_JWT_MAX_LIFETIME_SECONDS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  LEASE_REFRESH_MS,
  LISTEN_BACKLOG,
  MAX_HTTP_BUFFER_BYTES,
  RELAY_BURST_SECONDS,
  SOCKET_CONNECT_TIMEOUT_MS,
} from './constants.js'
import { cutOff } from './cut-off.js'
import { registerAcks } from './delivery/ack-handlers.js'
import { Deliveries } from './delivery/deliveries.js'
import { describeError } from './describe-error.js'
import type { GroupStore } from './groups/group-store.js'
import { createHealthHandler } from './health.js'
import { checkHttpLimits, createHttpServer, type HttpLimits, sealHttpServer } from './http/http-server.js'
import { routeRequests } from './http/request-router.js'
import { jwtKey } from './jwt-secret.js'
import { type LimitSettings, limitSettings } from './limits/limit-settings.js'
import { Limits } from './limits/limits.js'
import { type Logger, quietLogger } from './logger.js'
import { createMediaHandler } from './media/media-http.js'
import { type MediaStoreOptions, startMediaService } from './media/media-service.js'
import type { MediaStore } from './media/media-store.js'
import { registerMediaHolders } from './media-holders/holder-handlers.js'
import type { HolderStore } from './media-holders/holder-store.js'
import { registerPresence } from './presence/presence-handlers.js'
import type { PresenceStore } from './presence/presence-store.js'
import { type RelaySettings, registerRelay } from './relay.js'
import { RelayWindows } from './relay-window.js'
import { leaveAllRooms, registerRooms } from './rooms/room-handlers.js'
import type { RoomStore } from './rooms/room-store.js'
import { registerRouting } from './routing.js'
import { createSerialRunner } from './serial.js'
import { type SessionOffer, sessionGone, startSession } from './session.js'
import type { SessionStore } from './session-store.js'
import { checkMaxConnectionsPerAddress, checkRelayBytesPerSecond, checkStateDir, checkTurn } from './settings-checks.js'
import { openFileState } from './state/file/open-file-state.js'
import { redisState } from './state/redis/redis-state.js'
import { redisSocketAdapter } from './state/redis/socket-adapter.js'
import { memoryState, type ServerState } from './state/server-state.js'
import { type TurnSettings, turnCredentials } from './turn-credentials.js'
import type { CorsOrigin, FerryServer } from './types.js'

export interface SignalingServerOptions {
  /** Port to listen on; 0 picks a free one (read it back from `port`). */
  port: number
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string
  /**
   * When set, logins need an HS256 JWT signed with it (at least 32 bytes), with `sub` (the user id) and
   * `exp`. Otherwise any user id is accepted.
   */
  jwtSecret?: string
  /** With `jwtSecret`: a token's `iss` must be this. */
  jwtIssuer?: string
  /** With `jwtSecret`: a token's `aud` must be (or include) this. */
  jwtAudience?: string
  /**
   * With `jwtSecret`: the longest a token may be valid, `exp` minus `iat` (or minus now without `iat`).
   * Default DEFAULT_JWT_MAX_LIFETIME_SECONDS.
   */
  jwtMaxLifetimeSeconds?: number
  /** Rates and sizes per user and per address (see `LimitSettings`); each one given replaces its default. */
  limits?: Partial<LimitSettings>
  /** Allowed browser origins. Default: any. */
  corsOrigin?: CorsOrigin
  /**
   * Where the server keeps sessions, groups, unacknowledged deliveries, dedupe records, file tokens,
   * rooms, presence subscriptions, media holders and rate buckets. Default: `fileState(stateDir)` when
   * `stateDir` is set, else `memoryState()`, this process's memory (embedded servers and tests start
   * many and keep nothing). `sessionStore` and `groupStore` replace its parts.
   */
  state?: ServerState
  /**
   * A Redis 7 URL (`redis://host:6379`): every node given the same URL (and prefix) shares sessions,
   * groups, kept messages, dedupe records and file tokens through it (`redisState`, unless `state` is
   * given), and Socket.IO sends between nodes through Redis's sharded Pub/Sub. Unset: one process.
   */
  redisUrl?: string
  /** With `redisUrl`: the prefix of every key and channel, so deployments share one Redis. Default `ferry:`. */
  redisPrefix?: string
  /**
   * A directory (created when missing) for an LMDB database of groups, kept deliveries, dedupe records
   * and file tokens, which survive a restart; `close()` closes it. Ignored when `state` or `redisUrl` is
   * given.
   */
  stateDir?: string
  /** Who is online. Default: the state's. */
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
  /** The server API's groups. Default: the state's. */
  groupStore?: GroupStore
  /** Tuning of the server API: file token lifetime, send rate per user. */
  serverApi?: ServerApiOptions
  /**
   * Open TCP connections one address may hold at once (an IPv6 address counts as its /64), Socket.IO's
   * included; one more is closed as soon as it is accepted. Default DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
   * 0 for no cap (behind a reverse proxy every connection comes from the proxy's address).
   */
  maxConnectionsPerAddress?: number
  /** Timeouts and header size of the HTTP server; the defaults suit production. */
  http?: HttpLimits
}

export interface SignalingServer {
  /** The port actually listened on. */
  port: number
  /** `http://host:port`, what clients connect to. */
  url: string
  io: FerryServer
  /** The media store; absent when the `media` option is `false`. */
  media?: MediaStore
  /** Server-routed messages: delivery by user id, kept until acknowledged, dedupe by mid. */
  deliveries: Deliveries
  /** Who is in which room. */
  rooms: RoomStore
  /** The server API's groups. */
  groups: GroupStore
  /** Who said they hold which media (`media:have`), for downloads from peers other than the uploader. */
  mediaHolders: HolderStore
  /** Who follows whose presence. */
  presence: PresenceStore
  /** Disconnects every socket and closes the HTTP server. Safe to call more than once. */
  close(): Promise<void>
}

export async function createSignalingServer(options: SignalingServerOptions): Promise<SignalingServer> {
  const host = options.host ?? DEFAULT_HOST
  const logger = options.logger ?? quietLogger
  const relay: RelaySettings = {
    enabled: options.relay ?? true,
    bytesPerSecond: checkRelayBytesPerSecond(
      options.relayBytesPerSecond ?? DEFAULT_RELAY_BYTES_PER_SECOND,
      'relayBytesPerSecond',
    ),
  }
  const relayRate = { perSecond: relay.bytesPerSecond, burst: relay.bytesPerSecond * RELAY_BURST_SECONDS }
  const settings = limitSettings(options.limits)
  const rules = tokenRules(options)
  const turn = checkTurn(options.turnSecret, options.turnUrls, { secret: 'turnSecret', urls: 'turnUrls' })
  const offer = sessionOffer(relay, turn)
  const adminKey = options.adminKey === undefined ? undefined : checkAdminKey(options.adminKey, 'adminKey')
  const apiSettings = checkServerApiOptions(options.serverApi)
  const httpSettings = checkHttpLimits(options.http)
  const maxConnectionsPerAddress = checkMaxConnectionsPerAddress(
    options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    'maxConnectionsPerAddress',
  )
  const redis = redisParts(options, logger)
  await redis?.state?.started
  const stateDir = options.stateDir === undefined ? undefined : checkStateDir(options.stateDir, 'stateDir')
  const state =
    options.state ?? redis?.state ?? (stateDir === undefined ? memoryState() : openFileState(stateDir, logger))
  const store = options.sessionStore ?? state.sessions
  const limits = new Limits(settings, relayRate, state.rates)
  const auth = createAuthMiddleware(rules, limits, logger)
  let media: Awaited<ReturnType<typeof startMediaService>> | undefined
  try {
    media = options.media === false ? undefined : await startMediaService(options.media ?? {}, store, logger)
  } catch (error) {
    await state.close()
    throw error
  }

  const groups = options.groupStore ?? state.groups
  let api: ApiHttpContext | undefined
  const routes = routeRequests({
    api: createApiHandler(() => api),
    media: createMediaHandler({ media, corsOrigin: options.corsOrigin ?? true, logger }),
    other: createHealthHandler(store, logger),
  })
  const http = createHttpServer(httpSettings, routes, logger)
  const socketOptions: Partial<ServerOptions> = {
    maxHttpBufferSize: MAX_HTTP_BUFFER_BYTES,
    connectTimeout: SOCKET_CONNECT_TIMEOUT_MS,
    cors: { origin: options.corsOrigin ?? true },
  }
  if (redis) socketOptions.adapter = redis.adapter.adapter
  const io: FerryServer = new Server(http, socketOptions)
  sealHttpServer(http, maxConnectionsPerAddress, logger)
  const deliveries = new Deliveries({ io, sessions: store, inbox: state.inbox, dedupe: state.dedupe })
  const { rooms, presence: watchers, holders: mediaHolders } = state
  /**
   * The relay windows of each user online on this node, across its connections (see `registerRelay`).
   * They stay on the node: a user who moves to another node starts with empty windows there, its byte
   * budget handed over (see `Limits`).
   */
  const relayWindows = new Map<string, RelayWindows>()
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
    state,
    apiSettings,
  )
  const onOffline = async (userId: string): Promise<void> => {
    relayWindows.delete(userId)
    await leaveAllRooms(io, rooms, userId)
    await mediaHolders.forget(userId)
  }
  state.watchDeadSessions?.({
    gone: async (users) => {
      logger.info(`${users.length} users of dead nodes went offline`)
      for (const userId of users) await sessionGone({ io, watchers, onOffline }, userId)
    },
    // The connections close under the sockets (no `disconnect` packet), so the clients log in again by themselves.
    swept: () => {
      for (const socket of io.of('/').sockets.values()) socket.conn.close()
    },
  })
  io.use(auth)
  io.on('connection', (socket) => {
    const { userId } = socket.data
    // Every event, known or not, costs the user one token; a flood past the budget ends the session.
    socket.use((_packet, next) => {
      if (limits.takeEvent(userId)) next()
      else cutOff(socket, 'rate-limited', 'too many events, slow down', logger)
    })
    // What the user spent here goes to the store when it leaves this node, offline or replaced.
    socket.on('disconnect', () => {
      limits
        .handOver(userId)
        .catch((error: unknown) => logger.warn(`handing over the budgets of ${userId} failed: ${describeError(error)}`))
    })
    // Requests that change rooms, subscriptions and holdings: each kind in arrival order, and all done
    // before the user's offline cleanup runs.
    const runners = [createSerialRunner(), createSerialRunner(), createSerialRunner()] as const
    const settled = async () => {
      await Promise.all(runners.map((serial) => serial(async () => {})))
    }
    registerRouting(socket, { io, store, logger, limits })
    let windows = relayWindows.get(userId)
    if (windows === undefined) {
      windows = new RelayWindows()
      relayWindows.set(userId, windows)
    }
    registerRelay(socket, { io, store, logger, settings: relay, limits, windows })
    registerRooms(socket, { io, logger, rooms, deliveries, limits, serial: runners[0] })
    registerAcks(socket, { deliveries, logger, limits })
    registerMediaHolders(socket, { store, logger, holders: mediaHolders, limits, serial: runners[1] })
    registerPresence(socket, { io, store, logger, watchers, limits, serial: runners[2] })
    void startSession(socket, {
      io,
      store,
      logger,
      watchers,
      settled,
      offer: withMedia(offer, media?.admit(socket)),
      onReady: (ready) => {
        deliveries
          .flush(ready)
          .catch((error: unknown) => logger.warn(`handing over kept messages failed: ${describeError(error)}`))
      },
      onOffline,
    })
  })

  try {
    await listen(http, options.port, host)
  } catch (error) {
    await io.close()
    await media?.close()
    await state.close()
    await redis?.close()
    throw error
  }
  const port = (http.address() as AddressInfo).port
  const leases = setInterval(() => refreshLeases(io, state, logger), LEASE_REFRESH_MS)
  leases.unref()

  let closing: Promise<void> | undefined
  const server: SignalingServer = {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    io,
    deliveries,
    rooms,
    groups,
    mediaHolders,
    presence: watchers,
    close() {
      clearInterval(leases)
      closing ??= io
        .close()
        .finally(() => media?.close())
        .finally(() => state.close())
        .finally(() => redis?.close())
      return closing
    },
  }
  if (media) server.media = media.store
  return server
}

/** With `redisUrl`: the shared state (unless the caller gave one) and the Socket.IO adapter. */
function redisParts(options: SignalingServerOptions, logger: Logger) {
  if (options.redisUrl === undefined) return undefined
  const url = options.redisUrl
  const prefix = options.redisPrefix
  const adapter = redisSocketAdapter(url, logger, prefix)
  const state =
    options.state === undefined ? redisState({ url, logger, ...(prefix === undefined ? {} : { prefix }) }) : undefined
  return {
    adapter,
    state,
    /** Closes what this server opened; a state the caller gave is closed by `state.close()` as before. */
    close: () => adapter.close(),
  }
}

/**
 * Keeps the rooms, subscriptions and holdings of the users online on this node alive in a shared
 * state: those of a node that stops refreshing (it died) expire there.
 */
function refreshLeases(io: FerryServer, state: ServerState, logger: Logger): void {
  const users = [...new Set([...io.of('/').sockets.values()].map((socket) => socket.data.userId))]
  if (users.length === 0) return
  Promise.all([state.rooms.refresh(users), state.presence.refresh(users), state.holders.refresh(users)]).catch(
    (error: unknown) => logger.warn(`refreshing the leases of ${users.length} users failed: ${describeError(error)}`),
  )
}

/** The offer with this socket's media key, when the server keeps media. */
function withMedia(
  offer: (userId: string) => SessionOffer,
  media: MediaStoreOffer | undefined,
): (userId: string) => SessionOffer {
  return media === undefined ? offer : (userId) => ({ ...offer(userId), media })
}

/** How tokens are checked, when the server requires them. */
function tokenRules(options: SignalingServerOptions): TokenRules | undefined {
  if (options.jwtSecret === undefined) return undefined
  const maxLifetimeSeconds = options.jwtMaxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS
  if (!Number.isSafeInteger(maxLifetimeSeconds) || maxLifetimeSeconds < 1) {
    throw new FerryError('invalid-argument', 'jwtMaxLifetimeSeconds must be a whole number of seconds, at least 1')
  }
  return {
    key: jwtKey(options.jwtSecret),
    maxLifetimeSeconds,
    ...(options.jwtIssuer === undefined ? {} : { issuer: options.jwtIssuer }),
    ...(options.jwtAudience === undefined ? {} : { audience: options.jwtAudience }),
  }
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

function listen(http: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', reject)
    http.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      http.off('error', reject)
      resolve()
    })
  })
}
