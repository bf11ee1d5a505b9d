import type { ClientToServerEvents, ServerToClientEvents } from '@ferry/protocol'
import { io, type Socket } from 'socket.io-client'

export type RawRelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** Login and `session:ready`. */
const LOGIN_TIMEOUT_MS = 30_000

/**
 * A bare Socket.IO client logged in to the signaling server: what the raw baseline sends frames
 * through, with the same transport and options as Ferry's own signaling socket.
 */
export function connectRaw(url: string, userId: string): Promise<RawRelaySocket> {
  const socket: RawRelaySocket = io(url, { auth: { userId }, transports: ['websocket'], reconnection: false })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no session:ready within ${LOGIN_TIMEOUT_MS} ms`)), LOGIN_TIMEOUT_MS)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      socket.close()
      reject(error)
    }
    socket.once('connect_error', (error) => fail(new Error(`login failed: ${error.message}`)))
    socket.once('session:ready', () => {
      clearTimeout(timer)
      resolve(socket)
    })
  })
}

/** Socket.IO hands binary to Node as a Buffer; the frame codec takes any Uint8Array view. */
export function frameBytes(frame: unknown): Uint8Array {
  if (frame instanceof Uint8Array) return frame
  if (frame instanceof ArrayBuffer) return new Uint8Array(frame)
  throw new Error(`a relayed frame that is not binary (${typeof frame})`)
}
