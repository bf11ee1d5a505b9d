import type { ClientToServerEvents, ServerToClientEvents } from '@ferry/protocol'
import type { Server, Socket } from 'socket.io'

/** What the login middleware stores on each socket. Every handler trusts this, never the client. */
export interface SocketData {
  /** The authenticated user id: the token's `sub`, or the dev-mode `auth.userId`. */
  userId: string
  /** The users whose presence the login asked to follow (`auth.presence`, parsed), oneself left out. */
  presence: string[]
}

/** Ferry has no events between server nodes (yet). */
export type InterServerEvents = {}

export type FerryServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export type FerrySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

/** Allowed browser origins: `true` for any, one origin, or a list (Socket.IO's `cors.origin`). */
export type CorsOrigin = boolean | string | string[]
