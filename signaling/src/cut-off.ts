import type { FerryErrorCode } from '@ferry/protocol'
import type { Logger } from './logger.js'
import type { FerrySocket } from './types.js'

/**
 * Ends a session that broke the server's rules: `session:ended { code, message }` first (Engine.IO
 * flushes it before closing), then the disconnect. Everyone else carries on.
 */
export function cutOff(socket: FerrySocket, code: FerryErrorCode, message: string, logger: Logger): void {
  if (socket.disconnected) return
  logger.warn(`cutting ${socket.data.userId} off (${code}): ${message}`)
  socket.emit('session:ended', { code, message })
  socket.disconnect(true)
}
