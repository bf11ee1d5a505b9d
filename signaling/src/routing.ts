import type { Ack } from '@ferry/protocol'
import { onClientEvent, refusal } from './events/client-event.js'
import type { Limits } from './limits/limits.js'
import type { Logger } from './logger.js'
import { userRoom } from './rooms.js'
import { createSerialRunner } from './serial.js'
import type { SessionStore } from './session-store.js'
import type { FerryServer, FerrySocket } from './types.js'

export interface RoutingContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
  limits: Limits
}

const OK: Ack = { ok: true }

/**
 * Forwards `link:request` and `link:signal` from one user to another. The sender is always the
 * authenticated `socket.data.userId`; the target is reached through its user room, never a socket id.
 *
 * Requests run in arrival order, so signals keep their order. Each, malformed ones included, first
 * takes a token from the user's signal budget (refused as `rate-limited` when empty), is parsed
 * (`invalid-argument`), then forwarded.
 */
export function registerRouting(socket: FerrySocket, { io, store, logger, limits }: RoutingContext): void {
  const from = socket.data.userId
  const options = {
    logger,
    admit: () => limits.take('signals', from),
    limitMessage: 'too many signaling requests, slow down',
    serial: createSerialRunner(),
  }

  async function refuseTarget(to: string): Promise<Ack | undefined> {
    if (to === from) return refusal('invalid-target', 'cannot send to oneself')
    if (!(await store.isOnline(to))) return refusal('peer-offline', `${to} is not online`)
    return undefined
  }

  onClientEvent(
    socket,
    'link:request',
    async ({ to }) => {
      const refused = await refuseTarget(to)
      if (refused) return refused
      io.to(userRoom(to)).emit('link:request', { from })
      return OK
    },
    options,
  )

  onClientEvent(
    socket,
    'link:signal',
    async ({ to, link, data }) => {
      const refused = await refuseTarget(to)
      if (refused) return refused
      io.to(userRoom(to)).emit('link:signal', { from, link, data })
      return OK
    },
    options,
  )
}
