import type { DeliveryMeta, DeliveryRef, SendReceipt } from './delivery.js'
import type { FerryErrorCode } from './errors.js'
import type { MediaStoreOffer } from './media-http.js'
import type { SignalData } from './schemas/signal-data.js'

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

/** The answer to a request that returns something. */
export type AckWith<T> = ({ ok: true } & T) | { ok: false; code: FerryErrorCode; message: string }

export interface RoomRef {
  room: string
}

/** A room message to send: the message itself is the event's binary argument (`encodeMessage`). */
export interface RoomSendMessage {
  room: string
  /** Dedupe key (MESSAGE_ID_PATTERN); the server makes one when absent. */
  mid?: string
  /** Default: 30 for text, 40 for images, 50 for files. */
  mtype?: number
  attrs?: string
}

/**
 * Deliveries the app was handed (or that arrived again after it was): the server forgets them. Until
 * then it keeps each one and hands it over again at every login (at-least-once).
 */
export interface MessageAck {
  /** At most MAX_ACKS_PER_EVENT. Only the acking user's own deliveries are touched; unknown ones are ignored. */
  deliveries: DeliveryRef[]
}

export interface RoomMemberEvent {
  room: string
  userId: string
  joined: boolean
  /** Members after the change. */
  count: number
}

/** WebRTC signaling data (an SDP or an ICE candidate), parsed by `SignalDataSchema` on both ends. */
export type { SignalData } from './schemas/signal-data.js'

/** What a client sends in the Socket.IO handshake (`auth`). */
export interface HandshakeAuth {
  /** Dev mode only: the user id to log in as. Ignored when the server requires tokens. */
  userId?: string
  /** An HS256 JWT whose `sub` is the user id. Required when the server has a secret. */
  token?: string
  /**
   * Users whose presence to follow from the start (at most MAX_PRESENCE_SUBSCRIPTIONS): `session:ready`
   * says which of them are online, so a reconnecting client needs no extra round trip.
   */
  presence?: string[]
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
  /** Joins a room (at most MAX_ROOMS_PER_CLIENT); answers with the members, this user included. */
  'room:join': (msg: RoomRef, ack: (res: AckWith<{ members: string[] }>) => void) => void
  'room:leave': (msg: RoomRef, ack: (res: Ack) => void) => void
  /** Members of a room this user is in (`not-a-member` otherwise). */
  'room:members': (msg: RoomRef, ack: (res: AckWith<{ members: string[] }>) => void) => void
  /** Sends a message to every other member of a room this user is in. */
  'room:send': (msg: RoomSendMessage, message: Uint8Array, ack: (res: AckWith<SendReceipt>) => void) => void
  /** Acknowledges server-routed deliveries (`message:deliver`) this user's client handed to the app. */
  'message:ack': (msg: MessageAck, ack: (res: Ack) => void) => void
  /** This user's cache holds `mediaId` (after an upload or a download): peers may fetch it here. */
  'media:have': (msg: { mediaId: string }) => void
  /**
   * Online users (other than the asker) that said they hold `mediaId`, most recent first, then the
   * `uploader` when it is online and not listed yet.
   */
  'media:holders': (
    msg: { mediaId: string; uploader?: string },
    ack: (res: AckWith<{ holders: string[] }>) => void,
  ) => void
  /**
   * Follows the presence of `users` (Agora `subscribePeersOnlineStatus`): answers which of them are
   * online, then `presence:online` / `presence:offline` as they come and go. At most
   * MAX_PRESENCE_SUBSCRIPTIONS at once (`too-many-recipients` past it). Ends with the session.
   */
  'presence:subscribe': (msg: { users: string[] }, ack: (res: AckWith<{ online: string[] }>) => void) => void
  'presence:unsubscribe': (msg: { users: string[] }, ack: (res: Ack) => void) => void
}

export interface SessionReadyMessage {
  /** The user id the server logged this socket in as (from the token when tokens are required). */
  userId: string
  /** Of the users named in the handshake's `presence`, those online right now. */
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
  /**
   * When the server relays: the bytes this user may have relayed and not yet acknowledged by their
   * receivers, across all its transfers. A client past it is cut off with `window-exceeded`.
   */
  relayWindowBytes?: number
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
  /** A user this one follows (`presence:subscribe`) came online. */
  'presence:online': (msg: { userId: string }) => void
  /** A user this one follows went offline. */
  'presence:offline': (msg: { userId: string }) => void
  'link:request': (msg: { from: string }) => void
  'link:signal': (msg: { from: string; link: string; data: SignalData }) => void
  /** A frame relayed from `from`. */
  'relay:frame': (msg: { from: string }, frame: Uint8Array) => void
  /** A relayed frame could not be delivered (the target is offline, or relay is off). */
  'relay:refused': (msg: { to: string; code: FerryErrorCode; message: string }) => void
  /** Someone joined or left a room this user is in. */
  'room:member': (msg: RoomMemberEvent) => void
  /**
   * A server-routed message (room message, server API send, or one kept while offline). The server
   * keeps it until the client acknowledges it (`message:ack`) and hands it over again at each login
   * until then, so a client may see one (from, mid) more than once.
   */
  'message:deliver': (meta: DeliveryMeta, message: Uint8Array) => void
}

/** Data attached to a Socket.IO `connect_error` when the server refuses a login. */
export interface LoginErrorData {
  code: FerryErrorCode
}
