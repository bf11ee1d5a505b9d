import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { LISTEN_BACKLOG } from '@ferry/signaling'
import { Server } from 'socket.io'
import type { ChildServer } from '../server-process/server-ipc.js'
import { SentCounter } from './sent-counter.js'
import { processStats } from './server-stats.js'

/** The raw baseline's events: `ready` once connected, `signal` forwarded to a user's room with an ack. */
export interface RawServerToClient {
  ready: (msg: { userId: string }) => void
  signal: (msg: { from: string; data: unknown }) => void
}

export interface RawClientToServer {
  signal: (msg: { to: string; data: unknown }, ack: (res: { ok: boolean }) => void) => void
}

/** A user's room, as Ferry names it: the raw baseline routes by user id the same way. */
export function rawUserRoom(userId: string): string {
  return `user:${userId}`
}

/**
 * The raw baseline's server: a bare Socket.IO server (the version Ferry's runs, WebSocket transport)
 * that takes the client's `auth.userId` as given, joins it to its user room, sends one small `ready`
 * event and nothing else. A `signal` goes to the target's room (`io.to(room).emit`) and is acked, as
 * Ferry's `link:signal` is, without Ferry's checks: the floor a login and a routed signal cost.
 */
export async function startRawPresenceServer(): Promise<ChildServer> {
  const http = createServer()
  const io = new Server<RawClientToServer, RawServerToClient>(http)
  const counter = new SentCounter(io)
  io.on('connection', (socket) => {
    const userId = handshakeUserId(socket.handshake.auth)
    if (userId === undefined) {
      socket.disconnect(true)
      return
    }
    void Promise.resolve(socket.join(rawUserRoom(userId))).then(() => socket.emit('ready', { userId }))
    socket.on('signal', (msg, ack) => {
      if (typeof ack !== 'function') return
      if (typeof msg !== 'object' || msg === null || typeof msg.to !== 'string') {
        ack({ ok: false })
        return
      }
      io.to(rawUserRoom(msg.to)).emit('signal', { from: userId, data: msg.data })
      ack({ ok: true })
    })
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, () => resolve())
  })
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => processStats(counter.totals(), io.engine.clientsCount),
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  }
}

function handshakeUserId(auth: unknown): string | undefined {
  if (typeof auth !== 'object' || auth === null || !('userId' in auth)) return undefined
  return typeof auth.userId === 'string' ? auth.userId : undefined
}
