import type {
  Ack,
  AckWith,
  ClientToServerEvents,
  DeliveryRef,
  HandshakeAuth,
  LoginErrorData,
  ServerEventArgs,
  ServerEventName,
  ServerToClientEvents,
} from '@ferry/protocol'
import { ANSWERS, FerryError, isErrorCode, parseValue, SERVER_EVENTS } from '@ferry/protocol'
import { io, type Socket } from 'socket.io-client'

export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** How long a request to the signaling server may take before it counts as unanswered. */
const REQUEST_TIMEOUT_MS = 10_000

/**
 * Opens (but does not wait for) a Socket.IO connection that logs in with `auth()`, asked again at
 * every reconnect so a new login carries what the client follows now.
 */
export function openSignaling(url: string, auth: () => HandshakeAuth): SignalingSocket {
  return io(url, {
    auth: (send) => send({ ...auth() }),
    transports: ['websocket'],
    autoConnect: true,
    reconnection: true,
  })
}

/**
 * Listens to a server event with parsed arguments only: an event that does not match its schema in
 * `SERVER_EVENTS` goes to `onInvalid` instead, and the handler never sees it.
 */
export function onServerEvent<E extends ServerEventName>(
  socket: SignalingSocket,
  event: E,
  handle: (...args: ServerEventArgs<E>) => void,
  onInvalid: (event: E, message: string) => void,
): void {
  const schemas = SERVER_EVENTS[event].args
  const listener = (...raw: unknown[]): void => {
    const args: unknown[] = []
    for (const [index, schema] of schemas.entries()) {
      const parsed = parseValue(schema, raw[index])
      if (!parsed.ok) {
        onInvalid(event, parsed.message)
        return
      }
      args.push(parsed.value)
    }
    ;(handle as (...a: unknown[]) => void)(...args)
  }
  socket.on(event, listener as never)
}

type RequestEvent = keyof typeof ANSWERS
type RequestMessage<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0]

/** Sends a request and resolves with the server's Ack; a missing answer becomes a `server-unreachable` Ack. */
export function request<E extends RequestEvent>(
  socket: SignalingSocket,
  event: E,
  msg: RequestMessage<E>,
): Promise<Ack> {
  return requestWith<{}>(socket, event, [msg]) as Promise<Ack>
}

/**
 * Sends a request whose answer carries data (`AckWith<T>`), with every argument the event takes before
 * its ack. The answer is parsed with the event's schema in `ANSWERS`: one that does not match is a
 * `protocol-error` refusal, and a missing answer within `timeoutMs` a `server-unreachable` one.
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
    emit.call(timed, event, ...args, (err: Error | null, res: unknown) => {
      if (err) {
        resolve({ ok: false, code: 'server-unreachable', message: 'the signaling server did not answer' })
        return
      }
      const parsed = parseValue(ANSWERS[event], res)
      if (parsed.ok) resolve(parsed.value as AckWith<T>)
      else resolve({ ok: false, code: 'protocol-error', message: `a malformed answer to ${event}: ${parsed.message}` })
    })
  })
}

/** The error a refused login comes with, as a FerryError. */
export function loginError(err: Error & { data?: unknown }): FerryError {
  const data = err.data as Partial<LoginErrorData> | undefined
  if (data && isErrorCode(data.code)) return new FerryError(data.code, err.message)
  return new FerryError('server-unreachable', err.message)
}

/**
 * Sends a `message:ack`. Its answer only matters if it comes (a refusal leaves the deliveries kept, to
 * come again at the next login), so no timer waits for it; a malformed answer counts as none.
 */
export function ackDeliveries(socket: SignalingSocket, deliveries: DeliveryRef[], onAnswer: (res: Ack) => void): void {
  socket.emit('message:ack', { deliveries }, (res: unknown) => {
    const parsed = parseValue(ANSWERS['message:ack'], res)
    if (parsed.ok) onAnswer(parsed.value)
  })
}
