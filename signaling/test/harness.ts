import assert from 'node:assert/strict'
import {
  type Ack,
  type ClientToServerEvents,
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_RELAY_BYTES_PER_SECOND,
  type HandshakeAuth,
  MEDIA_RETENTION_MS,
  RELAY_USER_WINDOW_BYTES,
  type ServerToClientEvents,
  type SessionReadyMessage,
  type SignalData,
} from '@ferry/protocol'
import { SignJWT } from 'jose'
import { io, type Socket } from 'socket.io-client'
import { createSignalingServer, type SignalingServer, type SignalingServerOptions } from '../src/index.js'

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>

/** Long enough for a loaded CI machine, short enough that a missing event fails the test quickly. */
export const EVENT_TIMEOUT_MS = 3000

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long'

/**
 * What `session:ready` says besides the user and who is online, on a server with default options,
 * with the media key left out (see `withoutMediaKey`).
 */
export const DEFAULT_OFFER = {
  iceServers: [],
  relay: true,
  relayBytesPerSecond: DEFAULT_RELAY_BYTES_PER_SECOND,
  relayWindowBytes: RELAY_USER_WINDOW_BYTES,
  media: { maxBytes: DEFAULT_MEDIA_MAX_BYTES, retentionMs: MEDIA_RETENTION_MS },
}

/** A media key as the server issues them: a 43-character MAC, then the user and socket ids, in base64url. */
export const MEDIA_KEY_PATTERN = /^[A-Za-z0-9_-]{44,256}$/

/** `session:ready` with its media key checked for shape and left out, so the rest compares whole. */
export function withoutMediaKey(ready: SessionReadyMessage): object {
  if (ready.media === undefined) return ready
  const { key, ...media } = ready.media
  assert.match(key, MEDIA_KEY_PATTERN)
  return { ...ready, media }
}

/** Starts a server on a free port; `t.after` closes it and every client opened through it. */
export async function startServer(
  t: { after(fn: () => Promise<void> | void): void },
  options: Partial<SignalingServerOptions> = {},
): Promise<{ server: SignalingServer; connect(auth: HandshakeAuth): Client }> {
  const server = await createSignalingServer({ port: 0, host: '127.0.0.1', ...options })
  const clients: Client[] = []
  t.after(async () => {
    for (const client of clients) client.close()
    await server.close()
  })
  return {
    server,
    connect(auth) {
      const client = openClient(server.url, auth)
      clients.push(client)
      return client
    },
  }
}

/** A client of the server at `url`, not connected yet (see `login`); the caller closes it. */
export function openClient(url: string, auth: HandshakeAuth): Client {
  return io(url, {
    auth: { ...auth },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  })
}

/** Resolves with the first `event` the client receives, or rejects after `EVENT_TIMEOUT_MS`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  client: Client,
  event: E,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener as never)
      reject(new Error(`no ${event} within ${EVENT_TIMEOUT_MS} ms`))
    }, EVENT_TIMEOUT_MS)
    const listener = (msg: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer)
      resolve(msg)
    }
    client.once(event, listener as never)
  })
}

/** Resolves on the client's next `connect_error` (with its `data`), or rejects after the timeout. */
export function nextConnectError(client: Client): Promise<Error & { data?: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no connect_error within ${EVENT_TIMEOUT_MS} ms`)),
      EVENT_TIMEOUT_MS,
    )
    client.once('connect_error', (error) => {
      clearTimeout(timer)
      resolve(error)
    })
  })
}

/** Resolves with the reason of the client's next disconnect, or rejects after the timeout. */
export function nextDisconnect(client: Client): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS)
    client.once('disconnect', (reason) => {
      clearTimeout(timer)
      resolve(reason)
    })
  })
}

/** Connects and waits for `session:ready`. */
export async function login(client: Client): Promise<SessionReadyMessage> {
  const ready = nextEvent(client, 'session:ready')
  client.connect()
  return ready
}

/** Every event a client receives, in order, to check later that nothing unexpected arrived. */
export function recordEvents(client: Client): { name: string; args: unknown[] }[] {
  const events: { name: string; args: unknown[] }[] = []
  client.onAny((name: string, ...args: unknown[]) => events.push({ name, args }))
  return events
}

/** Sends a well-formed request and resolves with the server's ack, or rejects after the timeout. */
export function request<E extends keyof ClientToServerEvents>(
  client: Client,
  event: E,
  msg: Parameters<ClientToServerEvents[E]>[0],
): Promise<Ack> {
  // The generic event name defeats Socket.IO's ack typing; the signature above keeps callers typed.
  return requestRaw(client, event, msg) as Promise<Ack>
}

/** Sends anything at all, as a misbehaving client would, and resolves with the server's ack. */
export function requestRaw(client: Client, event: string, ...args: unknown[]): Promise<unknown> {
  return (client as unknown as Socket).timeout(EVENT_TIMEOUT_MS).emitWithAck(event, ...args)
}

/** Sends anything at all without asking for an ack. */
export function emitRaw(client: Client, event: string, ...args: unknown[]): void {
  ;(client as unknown as Socket).emit(event, ...args)
}

/** Rejects if `promise` does not settle within the timeout. */
export function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${EVENT_TIMEOUT_MS} ms`)), EVENT_TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** An HS256 token for `sub`, expiring `expiresInSeconds` from now (negative: already expired). */
export function signToken(sub: string, secret = TEST_SECRET, expiresInSeconds = 3600): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(secret))
}

/** A link id that matches LINK_ID_PATTERN. */
export const LINK = 'link-0001'

/** An ICE candidate signal, numbered by its port so tests can tell signals apart. */
export function candidate(n: number): SignalData {
  return {
    type: 'candidate',
    candidate: {
      candidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${10000 + n} typ host`,
      sdpMLineIndex: 0,
      sdpMid: '0',
    },
  }
}

/** The number `candidate(n)` was made with. */
export function candidateNumber(data: SignalData): number {
  if (data.type !== 'candidate') throw new Error(`not a candidate: ${data.type}`)
  return Number(data.candidate.candidate.split(' ')[5]) - 10000
}
