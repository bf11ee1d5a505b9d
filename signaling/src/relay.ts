import type { FerryErrorCode } from '@ferry/protocol'
import { cutOff } from './cut-off.js'
import { describeError } from './describe-error.js'
import { onClientEvent } from './events/client-event.js'
import type { Limits } from './limits/limits.js'
import type { Logger } from './logger.js'
import { checkRelayFrame, peekFrame } from './relay-frame.js'
import { RelayReach } from './relay-reach.js'
import type { RelayWindows } from './relay-window.js'
import { userRoom } from './rooms.js'
import { createSerialRunner } from './serial.js'
import type { SessionStore } from './session-store.js'
import type { FerryServer, FerrySocket } from './types.js'

/** How the server relays; see `SignalingServerOptions`. */
export interface RelaySettings {
  /** False: every relay frame is refused with `no-route`. */
  enabled: boolean
  /** Each user's sustained relay rate; bursts may reach RELAY_BURST_SECONDS of it. */
  bytesPerSecond: number
}

export interface RelayContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
  settings: RelaySettings
  /** The relay byte budget by user id (RELAY_BURST_SECONDS of burst): a reconnect does not refill it. */
  limits: Limits
  /** The relay windows of the user's transfers, kept while the user is online, across its connections. */
  windows: RelayWindows
}

/**
 * Forwards binary frames between users with no direct path, as Socket.IO attachments, through the
 * target's user room (so it works whichever node the target is on). Frames of one sender keep their
 * order.
 *
 * A target that is oneself or offline gets the frame back as `relay:refused`. A sender that breaks the
 * rules is cut off (`session:ended`, then disconnected): a target that is not a user id or a frame
 * that is not binary (`invalid-argument`), one over MAX_RELAY_FRAME_BYTES or that does not decode
 * (`protocol-error`), more bytes than its rate allows (`rate-limited`), more unacknowledged bytes in a
 * transfer than the window allows or across its transfers than RELAY_USER_WINDOW_BYTES
 * (`window-exceeded`), a chunk of a transfer it ended (`protocol-error`), or too many transfers at once
 * (`too-many-tasks`); see `RelayWindows`. Chunks of a transfer its receiver already ended are dropped.
 *
 * The byte budget and the windows are the user's, not the connection's: a user who reconnects finds
 * them as it left them (a new login after going offline starts afresh).
 */
export function registerRelay(
  socket: FerrySocket,
  { io, store, logger, settings, limits, windows }: RelayContext,
): void {
  const from = socket.data.userId
  const refuse = (to: string, code: FerryErrorCode, message: string): void => {
    socket.emit('relay:refused', { to, code, message })
  }
  const onInvalid = (message: string): void => cutOff(socket, 'invalid-argument', `relay:frame ${message}`, logger)

  if (!settings.enabled) {
    onClientEvent(socket, 'relay:frame', ({ to }) => refuse(to, 'no-route', 'this server does not relay'), {
      logger,
      onInvalid,
    })
    return
  }

  const serial = createSerialRunner()
  const reach = new RelayReach(io, store)

  onClientEvent(
    socket,
    'relay:frame',
    ({ to }, bytes) => {
      if (socket.disconnected) return
      const checked = checkRelayFrame(bytes)
      if (!checked.ok) {
        cutOff(socket, checked.code, checked.message, logger)
        return
      }
      if (!limits.takeRelayBytes(from, checked.bytes.length)) {
        cutOff(socket, 'rate-limited', `over ${settings.bytesPerSecond} bytes per second through the relay`, logger)
        return
      }
      if (to === from) {
        refuse(to, 'invalid-target', 'cannot relay to oneself')
        return
      }
      const verdict = windows.sent(to, checked.frame)
      if (!verdict.ok) {
        cutOff(socket, verdict.code, verdict.message, logger)
        return
      }
      if (verdict.drop) return
      void serial(async () => {
        const route = await reach.route(to)
        if (route === 'offline') {
          windows.forgetPeer(to)
          refuse(to, 'peer-offline', `${to} is not online`)
          return
        }
        // A local target is reached without the adapter; a remote one through it (with Redis, one hop).
        const rooms = route === 'local' ? io.local.to(userRoom(to)) : io.to(userRoom(to))
        rooms.emit('relay:frame', { from }, checked.bytes)
      }).catch((error: unknown) => logger.warn(`relaying from ${from} failed: ${describeError(error)}`))
    },
    { logger, onInvalid },
  )

  // Acks and ends of this user's transfers arrive as frames relayed to it, from whichever node.
  socket.onAnyOutgoing((event: string, ...args: unknown[]) => {
    if (event === 'relay:frame') {
      const source = field(args[0], 'from')
      const frame = peekFrame(args[1])
      if (typeof source === 'string' && frame) windows.delivered(source, frame)
    } else if (event === 'presence:offline') {
      const user = field(args[0], 'userId')
      if (typeof user === 'string') {
        windows.forgetPeer(user)
        reach.forget(user)
      }
    }
  })
}

/** A field of an object the server itself emits (never of client input, which is parsed). */
function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined
}
