import { onClientEvent } from '../events/client-event.js'
import type { Limits } from '../limits/limits.js'
import type { Logger } from '../logger.js'
import type { FerrySocket } from '../types.js'
import type { Deliveries } from './deliveries.js'

export interface AcksContext {
  deliveries: Deliveries
  logger: Logger
  limits: Limits
}

/**
 * `message:ack`: the socket's user acknowledges deliveries its client handed to the app, and they leave
 * that user's inbox. Keys name entries of the acking user only, so an ack for someone else's delivery,
 * or one already gone, changes nothing. Each ack takes a token from the user's ack budget first
 * (`rate-limited` when empty: the deliveries stay kept and come again at the next login).
 */
export function registerAcks(socket: FerrySocket, { deliveries, logger, limits }: AcksContext): void {
  const self = socket.data.userId
  onClientEvent(
    socket,
    'message:ack',
    async ({ deliveries: acked }) => {
      await deliveries.ack(self, acked)
      return { ok: true } as const
    },
    { logger, admit: () => limits.take('acks', self), limitMessage: 'too many message acks, slow down' },
  )
}
