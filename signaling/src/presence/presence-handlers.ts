import { type AckWith, FerryError } from '@ferry/protocol'
import { onClientEvent, refusal } from '../events/client-event.js'
import type { Limits } from '../limits/limits.js'
import type { Logger } from '../logger.js'
import { userRoom } from '../rooms.js'
import type { SessionStore } from '../session-store.js'
import type { FerryServer, FerrySocket } from '../types.js'
import type { PresenceWatchers } from './presence-watchers.js'

export interface PresenceContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
  watchers: PresenceWatchers
  limits: Limits
}

/**
 * `presence:subscribe` and `presence:unsubscribe`: a user follows the presence of the users it names,
 * and learns at once which of them are online. Both take a token from the user's presence budget.
 */
export function registerPresence(socket: FerrySocket, { store, logger, watchers, limits }: PresenceContext): void {
  const self = socket.data.userId
  const options = {
    logger,
    admit: () => limits.take('presence', self),
    limitMessage: 'too many presence requests, slow down',
  }

  onClientEvent(
    socket,
    'presence:subscribe',
    async ({ users }): Promise<AckWith<{ online: string[] }>> => {
      try {
        watchers.subscribe(self, users)
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
    ({ users }) => {
      watchers.unsubscribe(self, users)
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
export function announcePresence(io: FerryServer, watchers: PresenceWatchers, userId: string, online: boolean): void {
  const rooms = watchers.watchersOf(userId).map(userRoom)
  if (rooms.length === 0) return
  io.to(rooms).emit(online ? 'presence:online' : 'presence:offline', { userId })
}
