import type { SessionReadyMessage } from '@ferry/protocol'
import { describeError } from './describe-error.js'
import type { Logger } from './logger.js'
import { announcePresence, onlineAmong } from './presence/presence-handlers.js'
import type { PresenceWatchers } from './presence/presence-watchers.js'
import { userRoom } from './rooms.js'
import type { SessionStore } from './session-store.js'
import type { FerryServer, FerrySocket } from './types.js'

/** What `session:ready` says besides the user and its followed users online: ICE servers, the relay, the media store. */
export type SessionOffer = Omit<SessionReadyMessage, 'userId' | 'online'>

export interface SessionContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
  watchers: PresenceWatchers
  /** Made for each login, so credentials are fresh and name the user. */
  offer(userId: string): SessionOffer
  /** Called once the session is ready (after `session:ready`), e.g. to hand over messages kept while offline. */
  onReady?(socket: FerrySocket): void
  /** Called when the user went offline: its owning socket left (never when a newer login replaced it). */
  onOffline?(userId: string): void
}

const REPLACED_MESSAGE = 'another login for this user id replaced this session'

/**
 * A logged-in socket's life: claim the user id (replacing an older session of the same user, see
 * `SessionStore`), join the user's room, follow the users named in the handshake, get `session:ready`
 * with those of them online, and announce `presence:online` to whoever follows this user unless this
 * login replaced a live session. On disconnect, announce `presence:offline` only if this socket still
 * owned the id: a replaced socket leaving changes nothing.
 *
 * Nothing here depends on how many users are online: a login costs this user's subscriptions and
 * watchers. Resolves once the session is ready, or the socket left first. Never rejects.
 */
export async function startSession(
  socket: FerrySocket,
  { io, store, logger, watchers, offer, onReady, onOffline }: SessionContext,
): Promise<void> {
  const { userId, presence } = socket.data
  const claimed = store.claim(userId, socket.id)

  socket.on('disconnect', (reason) => {
    // Release only after the claim landed, or a slow store could mark the user online after it left.
    claimed
      .then(() => store.release(userId, socket.id))
      .then((wentOffline) => {
        logger.info(`${userId} disconnected (${reason})${wentOffline ? '' : ', its session was replaced'}`)
        if (!wentOffline) return
        watchers.forget(userId)
        announcePresence(io, watchers, userId, false)
        onOffline?.(userId)
      })
      .catch((error: unknown) => logger.warn(`releasing ${userId} failed: ${describeError(error)}`))
  })

  try {
    const previous = await claimed
    if (previous !== undefined) {
      logger.info(`${userId} logged in again, replacing the previous session`)
      io.to(previous).emit('session:ended', { code: 'session-replaced', message: REPLACED_MESSAGE })
      io.in(previous).disconnectSockets(true)
    }
    if (socket.disconnected) return
    await socket.join(userRoom(userId))
    if (socket.disconnected) return
    // This login's subscriptions replace those of a session it replaced.
    watchers.forget(userId)
    watchers.subscribe(userId, presence)
    const online = await onlineAmong(store, presence, userId)
    if (socket.disconnected) return
    socket.emit('session:ready', { userId, online, ...offer(userId) })
    onReady?.(socket)
    if (previous === undefined) {
      logger.info(`${userId} online`)
      announcePresence(io, watchers, userId, true)
    }
  } catch (error) {
    logger.warn(`starting the session of ${userId} failed: ${describeError(error)}`)
    socket.disconnect(true)
  }
}
