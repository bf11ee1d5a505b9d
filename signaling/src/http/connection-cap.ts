import type { Server } from 'node:net'
import { addressKey } from './address-key.js'

/**
 * Caps the TCP connections one address (see `addressKey`) holds open on `server` at `max`: one more is
 * closed as soon as it is accepted, before a byte of it is read. Counts drop as connections close, so
 * an address that closes some may open as many again. `max` 0: no cap.
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  if (max === 0) return
  const open = new Map<string, number>()
  server.on('connection', (socket) => {
    if (socket.remoteAddress === undefined) {
      socket.destroy()
      return
    }
    const key = addressKey(socket.remoteAddress)
    const count = open.get(key) ?? 0
    if (count >= max) {
      socket.destroy()
      return
    }
    open.set(key, count + 1)
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1
      if (left > 0) open.set(key, left)
      else open.delete(key)
    })
  })
}
