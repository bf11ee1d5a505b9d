import { type AckWith, FerryError, MAX_PRESENCE_SUBSCRIPTIONS } from '@ferry/protocol'
import { onClientEvent, refusal } from '../events/client-event.js'
import type { Limits } from '../limits/limits.js'
import type { Logger } from '../logger.js'
import { userRoom } from '../rooms.js'
import type { SerialRunner } from '../serial.js'
import type { SessionStore } from '../session-store.js'
import type { FerryServer, FerrySocket } from '../types.js'
import type { PresenceStore } from './presence-store.js'

export interface PresenceContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
  watchers: PresenceStore
  limits: Limits
  /** The runner the socket's requests that change shared state go through. */
  serial: SerialRunner
}

/**
 * `presence:subscribe` and `presence:unsubscribe`: a user follows the presence of the users it names,
 * and learns at once which of them are online. Both take a token from the user's presence budget, and
 * run in arrival order (an unsubscribe never overtakes the subscribe before it).
 */
export function registerPresence(
  socket: FerrySocket,
  { store, logger, watchers, limits, serial }: PresenceContext,
): void {
  const self = socket.data.userId
  const options = {
    logger,
    admit: () => limits.take('presence', self),
    limitMessage: 'too many presence requests, slow down',
    serial,
  }

  onClientEvent(
    socket,
    'presence:subscribe',
    async ({ users }): Promise<AckWith<{ online: string[] }>> => {
      try {
        await watchers.subscribe(self, users, MAX_PRESENCE_SUBSCRIPTIONS)
      } catch (error) {
        if (error instanceof FerryError) return refusal(error.code, error.message)
        throw error
      }
      return { ok: true, online: await onlineAmong(store, users, self) }
    },
    options,
  )

  onClientEvent(
    socket,
    'presence:unsubscribe',
    async ({ users }) => {
      await watchers.unsubscribe(self, users)
      return { ok: true } as const
    },
    options,
  )
}

/** Which of `users` (oneself left out, each once) are online. */
export async function onlineAmong(store: SessionStore, users: readonly string[], self: string): Promise<string[]> {
  const online: string[] = []
  for (const user of new Set(users)) if (user !== self && (await store.isOnline(user))) online.push(user)
  return online
}

/** Tells whoever follows `userId` that it came online or went offline. */
export async function announcePresence(
  io: FerryServer,
  watchers: PresenceStore,
  userId: string,
  online: boolean,
): Promise<void> {
  const rooms = (await watchers.watchersOf(userId)).map(userRoom)
  if (rooms.length === 0) return
  io.to(rooms).emit(online ? 'presence:online' : 'presence:offline', { userId })
}
