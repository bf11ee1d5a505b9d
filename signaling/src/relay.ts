import { MAX_RELAY_FRAME_BYTES, USER_ID_PATTERN } from '@ferry/protocol'
import type { Logger } from './logger.js'
import { userRoom } from './rooms.js'
import { createSerialRunner } from './serial.js'
import type { SessionStore } from './session-store.js'
import type { FerryServer, FerrySocket } from './types.js'

export interface RelayContext {
  io: FerryServer
  store: SessionStore
  logger: Logger
}

/**
 * Forwards binary frames between users with no direct path, through the target's user room. Frames
 * of one sender keep their order. A frame that cannot be delivered is answered with `relay:refused`.
 */
export function registerRelay(socket: FerrySocket, { io, store, logger }: RelayContext): void {
  const from = socket.data.userId
  const serial = createSerialRunner()

  socket.on('relay:frame', (msg: unknown, frame: unknown) => {
    const to = (msg as { to?: unknown } | null)?.to
    if (typeof to !== 'string' || !USER_ID_PATTERN.test(to) || to === from) {
      socket.emit('relay:refused', { to: String(to), code: 'invalid-target', message: 'bad relay target' })
      return
    }
    if (!(frame instanceof Uint8Array) || frame.length > MAX_RELAY_FRAME_BYTES) {
      socket.emit('relay:refused', { to, code: 'invalid-argument', message: 'a relay frame is binary, ≤ 257 KiB' })
      return
    }
    void serial(async () => {
      if (!(await store.isOnline(to))) {
        socket.emit('relay:refused', { to, code: 'peer-offline', message: `${to} is not online` })
        return
      }
      io.to(userRoom(to)).emit('relay:frame', { from }, frame)
    }).catch((error: unknown) => logger.warn(`relaying from ${from} failed: ${String(error)}`))
  })
}
