/**
 * The baseline: a bare Socket.IO server that keeps messages for offline users in a Map and hands them
 * over at login with ids the client acknowledges in batches, deleting them on ack. The ideal of what
 * Ferry's store-and-forward does, with no parsing, limits, dedupe or persistence.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import type { ChildServer } from '../server-process/server-ipc.js'

export async function startServer(): Promise<ChildServer> {
  const http = createServer()
  const io = new Server(http, { maxHttpBufferSize: 1e8 })
  const kept = new Map<string, Map<number, Buffer>>()
  let nextId = 0
  io.on('connection', (socket) => {
    const userId = String(socket.handshake.auth.userId)
    socket.on('keep', (to: string[], payload: Buffer, ack: () => void) => {
      for (const user of to) {
        const inbox = kept.get(user) ?? new Map<number, Buffer>()
        inbox.set(nextId++, payload)
        kept.set(user, inbox)
      }
      ack()
    })
    socket.on('ack', (ids: number[]) => {
      const inbox = kept.get(userId)
      for (const id of ids) inbox?.delete(id)
    })
    for (const [id, payload] of kept.get(userId) ?? []) socket.emit('deliver', id, payload)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => io.close(),
  }
}
