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
import { Manager, type Socket } from 'socket.io-client'

export type SignalingSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** The first wait before logging in again after a drop (Socket.IO's default): a blip is over in about a second. */
export const RECONNECT_DELAY_MIN_MS = 1_000

/**
 * The longest wait between two attempts (Socket.IO's default). Waits double from the minimum up to
 * it, each ±50 % at random so the users of a node that died do not all come back in the same instant.
 */
export const RECONNECT_DELAY_MAX_MS = 5_000

/** The signaling connection, and `url()`: the node it is on, or trying. */
export interface Signaling {
  socket: SignalingSocket
  url(): string
}

/** How long a request to the signaling server may take before it counts as unanswered. */
const REQUEST_TIMEOUT_MS = 10_000

/**
 * Opens (but does not wait for) a Socket.IO connection to the first of `urls` that logs in with
 * `auth()`, asked again at every reconnect so a new login carries what the client follows now.
 *
 * Socket.IO's Manager reconnects by itself, with backoff; before each attempt it is pointed at the
 * node to try: after a drop the node it was on, once (a blip, or a restart on the same address), then
 * the next ones in turn; before the first login, each in turn. One Manager and one socket for the
 * client's life, so every listener stays where it is.
 */
export function openSignaling(urls: readonly string[], auth: () => HandshakeAuth): Signaling {
  let index = 0
  let loggedIn = false
  const manager = new Manager(urls[0], {
    transports: ['websocket'],
    autoConnect: true,
    reconnection: true,
    reconnectionDelay: RECONNECT_DELAY_MIN_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
  })
  const socket: SignalingSocket = manager.socket('/', { auth: (send) => send({ ...auth() }) })
  manager.on('reconnect_attempt', (attempt) => {
    if (loggedIn && attempt === 1) return
    index = (index + 1) % urls.length
    // The Manager opens its next engine on `uri`; it keeps no other copy of the address.
    ;(manager as unknown as { uri: string }).uri = urls[index] as string
  })
  socket.on('connect', () => {
    loggedIn = true
  })
  socket.on('disconnect', () => {
    loggedIn = socket.active
  })
  return { socket, url: () => urls[index] as string }
}

/** The URLs of `url` (one, or a list), checked: at least one, each a string. */
export function serverUrls(url: string | readonly string[]): string[] | undefined {
  const urls = typeof url === 'string' ? [url] : Array.isArray(url) ? [...(url as readonly unknown[])] : []
  if (urls.length === 0 || !urls.every((u): u is string => typeof u === 'string' && u !== '')) return undefined
  return urls
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
