import {
  DEFAULT_CHUNK_BYTES,
  decodeFrame,
  encodeFrame,
  type Frame,
  type ServerToClientEvents,
  type SessionEndedMessage,
} from '@ferry/protocol'
import type { Client } from './harness.js'

/**
 * How long a step that moves megabytes may take. Tests share the machine with other work (browsers,
 * other test files), and tens of MiB through a Socket.IO server can take seconds when it is busy.
 */
export const BULK_TIMEOUT_MS = 30_000

/** Chunk payload the relay tests send: a full default chunk, as a Ferry sender over the relay would. */
export const CHUNK_DATA_BYTES = DEFAULT_CHUNK_BYTES

/** A frame as it came out of the relay. */
export interface Relayed {
  from: string
  bytes: Uint8Array
}

/** Every frame relayed to `client`, in arrival order. */
export function relayedTo(client: Client): Relayed[] {
  const frames: Relayed[] = []
  client.on('relay:frame', ({ from }, frame) => frames.push({ from, bytes: asBytes(frame) }))
  return frames
}

/** Socket.IO hands binary to Node as a Buffer; this gives plain bytes whatever arrived. */
export function asBytes(frame: unknown): Uint8Array {
  if (frame instanceof Uint8Array) return new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)
  if (frame instanceof ArrayBuffer) return new Uint8Array(frame)
  throw new Error(`a relayed frame that is not binary: ${typeof frame}`)
}

export function decoded(bytes: Uint8Array): Frame {
  const result = decodeFrame(bytes)
  if (!result.ok) throw new Error(`the relay delivered a bad frame: ${result.reason}`)
  return result.frame
}

export function relay(client: Client, to: string, frame: Frame): void {
  client.emit('relay:frame', { to }, encodeFrame(frame))
}

/** Chunk data whose every byte says where it is, so a reordered or damaged chunk shows. */
export function patternedData(offset: number, length: number): Uint8Array {
  const data = new Uint8Array(length)
  for (let i = 0; i < length; i++) data[i] = (offset + i) % 251
  return data
}

export function chunk(taskId: number, offset: number, length = CHUNK_DATA_BYTES): Frame {
  return { type: 'chunk', taskId, offset, data: patternedData(offset, length) }
}

/** Resolves when `check` holds, polling; rejects after the timeout, saying what it waited for. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = BULK_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The first `event` the client receives, or a rejection after `timeoutMs`. */
export function nextOf<E extends keyof ServerToClientEvents>(
  client: Client,
  event: E,
  timeoutMs = BULK_TIMEOUT_MS,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return withTimeout(new Promise((resolve) => client.once(event, resolve as never)), `${event}`, timeoutMs)
}

/** Waits for the server to cut `client` off: `session:ended`, then a server-side disconnect. */
export async function cutOff(
  client: Client,
  timeoutMs = BULK_TIMEOUT_MS,
): Promise<SessionEndedMessage & { reason: string }> {
  const gone = withTimeout(
    new Promise<string>((resolve) => client.once('disconnect', resolve)),
    'the disconnect',
    timeoutMs,
  )
  const msg = await nextOf(client, 'session:ended', timeoutMs)
  return { ...msg, reason: await gone }
}

/** Rejects if `promise` does not settle within `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = BULK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${timeoutMs} ms`)), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Sends one frame from `from` to `to` (user `toId`) and resolves with it as `to` received it, whatever
 * else `to` receives meanwhile: the relay still works between them.
 */
export function roundTrip(from: Client, to: Client, toId: string, frame: Frame): Promise<Relayed> {
  const sent = encodeFrame(frame)
  const arrived = new Promise<Relayed>((resolve) => {
    const listener = (msg: { from: string }, bytes: unknown): void => {
      if (!Buffer.from(asBytes(bytes)).equals(sent)) return
      to.off('relay:frame', listener)
      resolve({ from: msg.from, bytes: asBytes(bytes) })
    }
    to.on('relay:frame', listener)
  })
  from.emit('relay:frame', { to: toId }, sent)
  return withTimeout(arrived, `a frame relayed to ${toId}`)
}
