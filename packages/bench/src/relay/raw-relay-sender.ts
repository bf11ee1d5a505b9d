import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import {
  CHUNK_HEADER_BYTES,
  DEFAULT_CHUNK_BYTES,
  decodeFrame,
  encodeFrame,
  WINDOW_BYTES,
  writeChunkHeader,
} from '@ferry/protocol'
import { frameBytes, type RawRelaySocket } from './raw-relay-socket.js'

/** Data per chunk frame: frames of exactly DEFAULT_CHUNK_BYTES, as Ferry's relay sends them. */
const CHUNK_DATA_BYTES = DEFAULT_CHUNK_BYTES - CHUNK_HEADER_BYTES

/** The one task the raw baseline runs; the warm-up cmd uses another id. */
export const RAW_TASK_ID = 1
export const RAW_WARMUP_TASK_ID = 2

/** How long the receiver may take to answer the warm-up cmd. */
const WARMUP_TIMEOUT_MS = 30_000

/**
 * The ideal sender through the relay: reads the file chunk by chunk straight into frames, hashes it
 * (Ferry does too), emits each frame as a binary Socket.IO event and keeps at most WINDOW_BYTES beyond
 * the receiver's last ack, as the server requires. Ends with an end frame and waits for the end-ack.
 * Resolves with the seconds from the first chunk to the end-ack, and the SHA-256 it sent.
 */
export async function sendRawFile(
  socket: RawRelaySocket,
  to: string,
  path: string,
  size: number,
): Promise<{ seconds: number; sha256: string }> {
  let acked = 0
  let wake: (() => void) | undefined
  let finish!: (error?: Error) => void
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve())
  })
  finished.catch(() => {})
  socket.on('relay:frame', ({ from }, raw) => {
    const decoded = decodeFrame(frameBytes(raw))
    if (from !== to || !decoded.ok || decoded.frame.taskId !== RAW_TASK_ID) return
    const frame = decoded.frame
    if (frame.type === 'ack') {
      acked = frame.received
      wake?.()
    } else if (frame.type === 'end-ack') finish()
    else if (frame.type === 'error' || frame.type === 'cancel')
      finish(new Error(`the receiver ended with ${frame.type}`))
  })
  socket.on('disconnect', (reason) => finish(new Error(`disconnected from the server (${reason})`)))

  const file = await open(path, 'r')
  const hash = createHash('sha256')
  const started = performance.now()
  try {
    for (let sent = 0; sent < size; ) {
      while (sent - acked >= WINDOW_BYTES) await new Promise<void>((resolve) => (wake = resolve))
      const length = Math.min(CHUNK_DATA_BYTES, size - sent)
      // A fresh frame each time: Socket.IO keeps a reference until the bytes are on the wire.
      const frame = new Uint8Array(CHUNK_HEADER_BYTES + length)
      const data = frame.subarray(CHUNK_HEADER_BYTES)
      const { bytesRead } = await file.read(data, 0, length, sent)
      if (bytesRead !== length) throw new Error(`read ${bytesRead} of ${length} bytes at ${sent}`)
      writeChunkHeader(frame, RAW_TASK_ID, sent)
      hash.update(data)
      socket.emit('relay:frame', { to }, frame)
      sent += length
    }
  } finally {
    await file.close()
  }
  const sha256 = hash.digest()
  socket.emit('relay:frame', { to }, encodeFrame({ type: 'end', taskId: RAW_TASK_ID, sha256 }))
  await finished
  return { seconds: (performance.now() - started) / 1000, sha256: sha256.toString('hex') }
}

/** Sends a cmd frame and waits for the receiver's end-ack: both ends are logged in and listening. */
export function warmUpRaw(socket: RawRelaySocket, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the raw receiver never answered the warm-up')), WARMUP_TIMEOUT_MS)
    const listener = ({ from }: { from: string }, raw: unknown): void => {
      const decoded = decodeFrame(frameBytes(raw))
      if (from !== to || !decoded.ok || decoded.frame.type !== 'end-ack') return
      if (decoded.frame.taskId !== RAW_WARMUP_TASK_ID) return
      clearTimeout(timer)
      socket.off('relay:frame', listener)
      resolve()
    }
    socket.on('relay:frame', listener)
    const payload = new TextEncoder().encode('warmup')
    socket.emit('relay:frame', { to }, encodeFrame({ type: 'cmd', taskId: RAW_WARMUP_TASK_ID, text: true, payload }))
  })
}
