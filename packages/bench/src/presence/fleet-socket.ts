import type { ClientToServerEvents, ServerToClientEvents } from '@ferry/protocol'
import { io, type Socket } from 'socket.io-client'
import type { PeerImpl } from '../peer-ipc.js'
import type { RawClientToServer, RawServerToClient } from './raw-presence-server.js'

/** How a request of a fleet client ended: `ok`, `refused:<code>`, `timeout` (no ack in time), or `not-connected`. */
export type RequestOutcome = 'ok' | `refused:${string}` | 'timeout' | 'not-connected'

/**
 * One bench client logged in (or logging in) to a presence server, Ferry's or the raw baseline's,
 * through a `socket.io-client` socket of its own: WebSocket only, no reconnection, as a Ferry client
 * connects.
 */
export interface FleetSocket {
  /** Resolves at the server's ready event; rejects with a short reason (a login error code, a timeout). */
  readonly ready: Promise<void>
  /** Follows `users`' presence (Ferry: `presence:subscribe`); the raw baseline has no presence. */
  subscribe(users: string[], timeoutMs: number): Promise<RequestOutcome>
  /**
   * Sends signaling data to `to` (Ferry: `link:signal`; raw: `signal`) and waits for the ack;
   * `not-connected` at once when the connection has dropped (Socket.IO would only buffer it).
   */
  signal(to: string, link: string, data: { type: 'offer'; sdp: string }, timeoutMs: number): Promise<RequestOutcome>
  /** Called with each signal's data that reaches this client. */
  onSignal: ((data: unknown) => void) | undefined
  /** Called once if the connection drops after it was ready. */
  onDropped: ((reason: string) => void) | undefined
  close(): void
}

interface ConnectSpec {
  impl: PeerImpl
  url: string
  userId: string
  /** How long the login may take, connection included, before `ready` rejects. */
  timeoutMs: number
}

export function connectFleetSocket(spec: ConnectSpec): FleetSocket {
  return spec.impl === 'ferry' ? connectFerry(spec) : connectRaw(spec)
}

type FerrySocket = Socket<ServerToClientEvents, ClientToServerEvents>
type RawSocket = Socket<RawServerToClient, RawClientToServer>

function connectFerry({ url, userId, timeoutMs }: ConnectSpec): FleetSocket {
  const socket: FerrySocket = io(url, socketOptions(userId, timeoutMs))
  const client = fleetSocket(socket, timeoutMs, (done) => socket.once('session:ready', done))
  socket.on('link:signal', (msg) => client.onSignal?.(msg.data))
  client.subscribe = async (users, ackTimeoutMs) => {
    try {
      const res = await socket.timeout(ackTimeoutMs).emitWithAck('presence:subscribe', { users })
      return res.ok ? 'ok' : `refused:${res.code}`
    } catch {
      return 'timeout'
    }
  }
  client.signal = async (to, link, data, ackTimeoutMs) => {
    if (!socket.connected) return 'not-connected'
    try {
      const res = await socket.timeout(ackTimeoutMs).emitWithAck('link:signal', { to, link, data })
      return res.ok ? 'ok' : `refused:${res.code}`
    } catch {
      return 'timeout'
    }
  }
  return client
}

function connectRaw({ url, userId, timeoutMs }: ConnectSpec): FleetSocket {
  const socket: RawSocket = io(url, socketOptions(userId, timeoutMs))
  const client = fleetSocket(socket, timeoutMs, (done) => socket.once('ready', done))
  socket.on('signal', (msg) => client.onSignal?.(msg.data))
  client.signal = async (to, _link, data, ackTimeoutMs) => {
    if (!socket.connected) return 'not-connected'
    try {
      const res = await socket.timeout(ackTimeoutMs).emitWithAck('signal', { to, data })
      return res.ok ? 'ok' : 'refused:raw'
    } catch {
      return 'timeout'
    }
  }
  return client
}

/** Every fleet socket its own connection (no multiplexing), WebSocket only, never reconnecting. */
function socketOptions(userId: string, timeoutMs: number) {
  return {
    auth: { userId },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
  }
}

/** What both protocols share: the login race (ready, refusal, drop, timeout), drops after it, closing. */
function fleetSocket(socket: Socket, timeoutMs: number, onReadyEvent: (done: () => void) => void): FleetSocket {
  let isReady = false
  const client: FleetSocket = {
    ready: new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail('no-ready-in-time'), timeoutMs)
      const fail = (reason: string): void => {
        clearTimeout(timer)
        socket.close()
        reject(new Error(reason))
      }
      socket.once('connect_error', (error: ConnectError) => {
        const code = error.data?.code
        fail(typeof code === 'string' ? `refused:${code}` : `connect-error:${connectErrorReason(error)}`)
      })
      socket.on('disconnect', (reason) => {
        if (isReady) client.onDropped?.(reason)
        else fail(`dropped:${reason}`)
      })
      onReadyEvent(() => {
        clearTimeout(timer)
        isReady = true
        resolve()
      })
    }),
    subscribe: async () => 'refused:unsupported',
    signal: async () => 'refused:unsupported',
    onSignal: undefined,
    onDropped: undefined,
    close: () => socket.close(),
  }
  client.ready.catch(() => {})
  return client
}

/** A `connect_error`: a login refusal carries `data.code`; a transport failure the underlying error as `description`. */
type ConnectError = Error & { data?: { code?: unknown }; description?: unknown }

/** A transport failure's reason without addresses, so equal failures tally together (`websocket error: connect ECONNRESET`). */
function connectErrorReason(error: ConnectError): string {
  const { description } = error
  const detail =
    typeof description === 'object' && description !== null && 'message' in description
      ? String(description.message)
      : ''
  const reason = detail === '' ? error.message : `${error.message}: ${detail}`
  return reason.replace(/\s*\d{1,3}(\.\d{1,3}){3}:\d+/g, '')
}
