import type {
  Ack,
  AckWith,
  ClientToServerEvents,
  HandshakeAuth,
  LoginErrorData,
  ServerToClientEvents,
} from '@ferry/protocol'
import { FerryError, isErrorCode } from '@ferry/protocol'
import { io, type Socket } from 'socket.io-client'

export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** How long a request to the signaling server may take before it counts as unanswered. */
const REQUEST_TIMEOUT_MS = 10_000

/** Opens (but does not wait for) a Socket.IO connection that logs in with `auth`. */
export function openSignaling(url: string, auth: HandshakeAuth): SignalingSocket {
  return io(url, { auth: { ...auth }, transports: ['websocket'], autoConnect: true, reconnection: true })
}

type RequestEvent = keyof ClientToServerEvents
type RequestMessage<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0]

/** Sends a request and resolves with the server's Ack; a missing answer becomes a `server-unreachable` Ack. */
export function request<E extends RequestEvent>(
  socket: SignalingSocket,
  event: E,
  msg: RequestMessage<E>,
): Promise<Ack> {
  return new Promise((resolve) => {
    const emit = socket.timeout(REQUEST_TIMEOUT_MS).emit as (
      event: E,
      msg: RequestMessage<E>,
      ack: (err: Error | null, res: Ack) => void,
    ) => void
    emit.call(socket.timeout(REQUEST_TIMEOUT_MS), event, msg, (err, res) => {
      if (err) resolve({ ok: false, code: 'server-unreachable', message: 'the signaling server did not answer' })
      else if (res && typeof res === 'object' && (res.ok === true || isErrorCode(res.code))) resolve(res)
      else resolve({ ok: false, code: 'protocol-error', message: 'malformed answer from the signaling server' })
    })
  })
}

/**
 * Sends a request whose answer carries data (`AckWith<T>`), with every argument the event takes before
 * its ack. A missing answer within `timeoutMs` becomes a `server-unreachable` refusal; the caller checks
 * the data's shape.
 */
export function requestWith<T, E extends RequestEvent = RequestEvent>(
  socket: SignalingSocket,
  event: E,
  args: unknown[],
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<AckWith<T>> {
  return new Promise((resolve) => {
    const timed = socket.timeout(timeoutMs)
    const emit = timed.emit as (event: E, ...args: unknown[]) => void
    emit.call(timed, event, ...args, (err: Error | null, res: AckWith<T>) => {
      if (err) resolve({ ok: false, code: 'server-unreachable', message: 'the signaling server did not answer' })
      else if (res && typeof res === 'object' && (res.ok === true || isErrorCode(res.code))) resolve(res)
      else resolve({ ok: false, code: 'protocol-error', message: 'malformed answer from the signaling server' })
    })
  })
}

/** The error a refused login comes with, as a FerryError. */
export function loginError(err: Error & { data?: unknown }): FerryError {
  const data = err.data as Partial<LoginErrorData> | undefined
  if (data && isErrorCode(data.code)) return new FerryError(data.code, err.message)
  return new FerryError('server-unreachable', err.message)
}
