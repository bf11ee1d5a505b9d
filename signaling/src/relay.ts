import { type FerryErrorCode, USER_ID_PATTERN } from '@ferry/protocol'
import { RELAY_BURST_SECONDS } from './constants.js'
import { cutOff } from './cut-off.js'
import type { Logger } from './logger.js'
import { checkRelayFrame, peekFrame } from './relay-frame.js'
import { RelayWindows } from './relay-window.js'
import { userRoom } from './rooms.js'
import { createSerialRunner } from './serial.js'
import type { SessionStore } from './session-store.js'
import { TokenBucket } from './token-bucket.js'
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
}

/**
 * Forwards binary frames between users with no direct path, as Socket.IO attachments, through the
 * target's user room (so it works whichever node the target is on). Frames of one sender keep their
 * order.
 *
 * A target that is oneself, not a user id, or offline gets the frame back as `relay:refused`. A
 * sender that breaks the rules is cut off (`session:ended`, then disconnected): a non-binary frame
 * (`invalid-argument`), one over MAX_RELAY_FRAME_BYTES or that does not decode (`protocol-error`),
 * more bytes than its rate allows (`rate-limited`), more unacknowledged bytes in a transfer than the
 * window allows or across its transfers than RELAY_USER_WINDOW_BYTES (`window-exceeded`), a chunk of
 * a transfer it ended (`protocol-error`), or too many transfers at once (`too-many-tasks`); see
 * `RelayWindows`. Chunks of a transfer its receiver already ended are dropped.
 */
export function registerRelay(socket: FerrySocket, { io, store, logger, settings }: RelayContext): void {
  const from = socket.data.userId
  const refuse = (to: string, code: FerryErrorCode, message: string): void => {
    socket.emit('relay:refused', { to, code, message })
  }

  if (!settings.enabled) {
    socket.on('relay:frame', (msg: unknown) => refuse(targetOf(msg), 'no-route', 'this server does not relay'))
    return
  }

  const bucket = new TokenBucket(settings.bytesPerSecond, settings.bytesPerSecond * RELAY_BURST_SECONDS)
  const windows = new RelayWindows()
  const serial = createSerialRunner()

  socket.on('relay:frame', (msg: unknown, payload: unknown) => {
    if (socket.disconnected) return
    const checked = checkRelayFrame(payload)
    if (!checked.ok) {
      cutOff(socket, checked.code, checked.message, logger)
      return
    }
    if (!bucket.take(checked.bytes.length)) {
      cutOff(socket, 'rate-limited', `over ${settings.bytesPerSecond} bytes per second through the relay`, logger)
      return
    }
    const target = field(msg, 'to')
    const to = String(target)
    if (typeof target !== 'string' || !USER_ID_PATTERN.test(target) || target === from) {
      refuse(to, 'invalid-target', to === from ? 'cannot relay to oneself' : 'to must be a user id')
      return
    }
    const verdict = windows.sent(to, checked.frame)
    if (!verdict.ok) {
      cutOff(socket, verdict.code, verdict.message, logger)
      return
    }
    if (verdict.drop) return
    void serial(async () => {
      if (!(await store.isOnline(to))) {
        windows.forgetPeer(to)
        refuse(to, 'peer-offline', `${to} is not online`)
        return
      }
      io.to(userRoom(to)).emit('relay:frame', { from }, checked.bytes)
    }).catch((error: unknown) => logger.warn(`relaying from ${from} failed: ${String(error)}`))
  })

  // Acks and ends of this user's transfers arrive as frames relayed to it, from whichever node.
  socket.onAnyOutgoing((event: string, ...args: unknown[]) => {
    if (event === 'relay:frame') {
      const source = field(args[0], 'from')
      const frame = peekFrame(args[1])
      if (typeof source === 'string' && frame) windows.delivered(source, frame)
    } else if (event === 'presence:offline') {
      const user = field(args[0], 'userId')
      if (typeof user === 'string') windows.forgetPeer(user)
    }
  })
}

/** The `to` of a relay message as a string, for checking and for echoing back in `relay:refused`. */
function targetOf(msg: unknown): string {
  return String(field(msg, 'to'))
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined
}
