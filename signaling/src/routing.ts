import type { Ack } from '@ferry/protocol'
import { failure, guardRequest, OK, type RequestHandler } from './ack.js'
import { SIGNAL_BURST, SIGNAL_RATE_PER_SECOND } from './constants.js'
import type { Logger } from './logger.js'
import { userRoom } from './rooms.js'
import { createSerialRunner } from './serial.js'
import type { SessionStore } from './session-store.js'
import { TokenBucket } from './token-bucket.js'
import type { FerryServer, FerrySocket } from './types.js'
import { validateLinkRequest, validateLinkSignal } from './validate.js'

export interface RoutingContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
}

/**
 * Forwards `link:request` and `link:signal` from one user to another. The sender is always the
 * authenticated `socket.data.userId`; the target is reached through its user room, never a socket id.
 *
 * Every request, malformed ones included, first takes a token from the socket's bucket (refused at
 * once as `rate-limited` when empty), then runs in arrival order, so signals keep their order.
 */
export function registerRouting(socket: FerrySocket, { io, store, logger }: RoutingContext): void {
  const from = socket.data.userId
  const bucket = new TokenBucket(SIGNAL_RATE_PER_SECOND, SIGNAL_BURST)
  const serial = createSerialRunner()

  function limited(route: (msg: unknown) => Promise<Ack>): RequestHandler {
    return (msg) => {
      if (!bucket.take()) return failure('rate-limited', 'too many signaling requests, slow down')
      return serial(() => route(msg))
    }
  }

  async function refuseTarget(to: string): Promise<Ack | undefined> {
    if (to === from) return failure('invalid-target', 'cannot send to oneself')
    if (!(await store.isOnline(to))) return failure('peer-offline', `${to} is not online`)
    return undefined
  }

  async function linkRequest(msg: unknown): Promise<Ack> {
    const checked = validateLinkRequest(msg)
    if (!checked.ok) return failure('invalid-argument', checked.message)
    const { to } = checked.value
    const refused = await refuseTarget(to)
    if (refused) return refused
    io.to(userRoom(to)).emit('link:request', { from })
    return OK
  }

  async function linkSignal(msg: unknown): Promise<Ack> {
    const checked = validateLinkSignal(msg)
    if (!checked.ok) return failure('invalid-argument', checked.message)
    const { to, link, data } = checked.value
    const refused = await refuseTarget(to)
    if (refused) return refused
    io.to(userRoom(to)).emit('link:signal', { from, link, data })
    return OK
  }

  socket.on('link:request', guardRequest('link:request', limited(linkRequest), logger))
  socket.on('link:signal', guardRequest('link:signal', limited(linkSignal), logger))
}
