import { MAX_PRESENCE_SUBSCRIPTIONS, type SessionReadyMessage } from '@ferry/protocol'
import { describeError } from './describe-error.js'
import type { Logger } from './logger.js'
import { announcePresence, onlineAmong } from './presence/presence-handlers.js'
import type { PresenceStore } from './presence/presence-store.js'
import { userRoom } from './rooms.js'
import type { SessionStore } from './session-store.js'
import type { FerryServer, FerrySocket } from './types.js'

/** What `session:ready` says besides the user and its followed users online: ICE servers, the relay, the media store. */
export type SessionOffer = Omit<SessionReadyMessage, 'userId' | 'online'>

export interface SessionContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
  watchers: PresenceStore
  /** Made for each login, so credentials are fresh and name the user. */
  offer(userId: string): SessionOffer
  /** Called once the session is ready (after `session:ready`), e.g. to hand over messages kept while offline. */
  onReady?(socket: FerrySocket): void
  /** Resolves once the socket's requests in flight are done: none of them lands after its user's cleanup. */
  settled?(): Promise<void>
  /** Called when the user went offline: its owning socket left (never when a newer login replaced it). */
  onOffline?(userId: string): Promise<void>
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
export async function startSession(socket: FerrySocket, context: SessionContext): Promise<void> {
  const { userId } = socket.data
  const { store, logger, settled } = context
  const claimed = store.claim(userId, socket.id)
  const started = begin(socket, context, claimed)

  socket.on('disconnect', (reason) => {
    // Release only after the claim landed, or a slow store could mark the user online after it left.
    claimed
      .then(() => store.release(userId, socket.id))
      .then(async (wentOffline) => {
        logger.info(`${userId} disconnected (${reason})${wentOffline ? '' : ', its session was replaced'}`)
        if (!wentOffline) return
        // What the session's start and its requests did lands first, so the cleanup undoes all of it.
        await started
        await settled?.()
        await sessionGone(context, userId)
      })
      .catch((error: unknown) => logger.warn(`releasing ${userId} failed: ${describeError(error)}`))
  })
  return started
}

/**
 * `userId` has no session any more (its socket left, or its node died and it logged in nowhere else):
 * its subscriptions go, whoever follows it hears `presence:offline`, then `onOffline` undoes the rest.
 */
export async function sessionGone(
  { io, watchers, onOffline }: Pick<SessionContext, 'io' | 'watchers' | 'onOffline'>,
  userId: string,
): Promise<void> {
  await watchers.forget(userId)
  await announcePresence(io, watchers, userId, false)
  await onOffline?.(userId)
}

async function begin(
  socket: FerrySocket,
  { io, store, logger, watchers, offer, onReady }: SessionContext,
  claimed: Promise<string | undefined>,
): Promise<void> {
  const { userId, presence } = socket.data
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
    await watchers.forget(userId)
    await watchers.subscribe(userId, presence, MAX_PRESENCE_SUBSCRIPTIONS)
    const online = await onlineAmong(store, presence, userId)
    if (socket.disconnected) return
    socket.emit('session:ready', { userId, online, ...offer(userId) })
    onReady?.(socket)
    if (previous === undefined) {
      logger.info(`${userId} online`)
      await announcePresence(io, watchers, userId, true)
    }
  } catch (error) {
    logger.warn(`starting the session of ${userId} failed: ${describeError(error)}`)
    socket.disconnect(true)
  }
}
