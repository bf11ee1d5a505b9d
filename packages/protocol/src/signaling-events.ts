import type { FerryErrorCode } from './errors.js'
import type { MediaStoreOffer } from './media-http.js'

/**
 * The Socket.IO events between clients and the signaling server, both ways. The server is
 * `new Server<ClientToServerEvents, ServerToClientEvents>()` and the client
 * `Socket<ServerToClientEvents, ClientToServerEvents>`, so a renamed event breaks both builds.
 *
 * Every payload is one object. Requests carry an ack callback that receives an `Ack`.
 * Messages are addressed by user id only: the server routes through the per-user room `user:<id>`,
 * never by socket id, so users can later be spread over several server nodes.
 */

/** The answer to every client request. */
export type Ack = { ok: true } | { ok: false; code: FerryErrorCode; message: string }

/**
 * Opaque WebRTC signaling data (an SDP offer or answer, an ICE candidate, a renegotiation request),
 * produced and consumed by simple-peer. The server checks only that it is a small JSON object.
 */
export type SignalData = { [key: string]: unknown }

/** What a client sends in the Socket.IO handshake (`auth`). */
export interface HandshakeAuth {
  /** Dev mode only: the user id to log in as. Ignored when the server requires tokens. */
  userId?: string
  /** An HS256 JWT whose `sub` is the user id. Required when the server has a secret. */
  token?: string
}

export interface LinkRequestMessage {
  to: string
}

export interface LinkSignalMessage {
  to: string
  /** The initiator's id for this peer connection; signals for an older link are dropped. */
  link: string
  data: SignalData
}

/** An ICE server as RTCPeerConnection takes it; the server hands out TURN entries with fresh credentials. */
export interface IceServer {
  urls: string | string[]
  username?: string
  credential?: string
}

export interface RelayTarget {
  to: string
}

export interface ClientToServerEvents {
  /**
   * Relays one binary frame to `to` through the server, for peers with no direct path. No ack: flow
   * control is end to end (the receiver's acks), and the server enforces the window and a byte rate.
   */
  'relay:frame': (msg: RelayTarget, frame: Uint8Array) => void
  /** Asks `to` to open a peer connection to us (the peer with the smaller user id initiates). */
  'link:request': (msg: LinkRequestMessage, ack: (res: Ack) => void) => void
  /** Passes WebRTC signaling data to `to`. */
  'link:signal': (msg: LinkSignalMessage, ack: (res: Ack) => void) => void
}

export interface SessionReadyMessage {
  /** The user id the server logged this socket in as (from the token when tokens are required). */
  userId: string
  /** Every other user online right now. */
  online: string[]
  /** ICE servers to use besides the client's own, e.g. TURN with short-lived credentials. */
  iceServers: IceServer[]
  /** Whether this server relays frames between peers with no direct path. */
  relay: boolean
  /**
   * When the server relays: the byte rate it allows each user through the relay, sustained (bursts
   * may reach twice this). A client relaying faster is cut off with `rate-limited`, so senders pace.
   */
  relayBytesPerSecond?: number
  /** The server's media store, when it has one (see media-http.ts); absent on a pure peer-to-peer server. */
  media?: MediaStoreOffer
}

export interface SessionEndedMessage {
  code: FerryErrorCode
  message: string
}

export interface ServerToClientEvents {
  'session:ready': (msg: SessionReadyMessage) => void
  /** The server is about to close this session (for example, a newer login replaced it). */
  'session:ended': (msg: SessionEndedMessage) => void
  'presence:online': (msg: { userId: string }) => void
  'presence:offline': (msg: { userId: string }) => void
  'link:request': (msg: { from: string }) => void
  'link:signal': (msg: { from: string; link: string; data: SignalData }) => void
  /** A frame relayed from `from`. */
  'relay:frame': (msg: { from: string }, frame: Uint8Array) => void
  /** A relayed frame could not be delivered (the target is offline, or relay is off). */
  'relay:refused': (msg: { to: string; code: FerryErrorCode; message: string }) => void
}

/** Data attached to a Socket.IO `connect_error` when the server refuses a login. */
export interface LoginErrorData {
  code: FerryErrorCode
}
