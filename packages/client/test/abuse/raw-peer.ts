import {
  type ClientToServerEvents,
  decodeFrame,
  encodeFrame,
  type FerryErrorCode,
  type Frame,
  type ServerToClientEvents,
} from '@ferry/protocol'
import { io, type Socket } from 'socket.io-client'

/** Long enough for a loaded 2-core machine, short enough that a missing answer fails the case. */
export const ANSWER_TIMEOUT_MS = 15_000

/** Task ids the raw peer uses for its own probes, far from the ids of the cases. */
const PROBE_TASK_ID = 0x7fff_0000

/**
 * A user logged in with a bare Socket.IO client, which speaks Ferry's frames by hand through the
 * server's relay: whatever a malicious peer could send, and nothing of Ferry's client logic.
 */
export class RawPeer {
  /** Every frame relayed to this user, decoded, in arrival order. */
  readonly frames: Frame[] = []
  private readonly waiters = new Set<() => void>()
  private probes = 0

  private constructor(
    readonly userId: string,
    private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>,
  ) {
    socket.on('relay:frame', (_from, bytes) => {
      const decoded = decodeFrame(asBytes(bytes))
      if (decoded.ok) this.frames.push(decoded.frame)
      for (const wake of this.waiters) wake()
    })
  }

  static async login(url: string, userId: string): Promise<RawPeer> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      auth: { userId },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    })
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('session:ready', () => resolve())
        socket.once('connect_error', reject)
      }),
      `${userId} logging in`,
    )
    return new RawPeer(userId, socket)
  }

  /** The socket, for events other than relayed frames (`media:have`, `session:ended`...). */
  get raw(): Socket<ServerToClientEvents, ClientToServerEvents> {
    return this.socket
  }

  get connected(): boolean {
    return this.socket.connected
  }

  /** Relays frames (or raw bytes) to `to`, in order. */
  send(to: string, ...frames: (Frame | Uint8Array)[]): void {
    for (const frame of frames) {
      this.socket.emit('relay:frame', { to }, frame instanceof Uint8Array ? frame : encodeFrame(frame))
    }
  }

  /** The first frame relayed back that passes `match`, waiting for it if need be. */
  async next(match: (frame: Frame) => boolean, what: string): Promise<Frame> {
    const found = () => this.frames.find(match)
    const waited = new Promise<Frame>((resolve) => {
      const wake = () => {
        const frame = found()
        if (!frame) return
        this.waiters.delete(wake)
        resolve(frame)
      }
      this.waiters.add(wake)
      wake()
    })
    return within(waited, what)
  }

  /** The code of the first error frame relayed back for `taskId`. */
  async errorFor(taskId: number): Promise<FerryErrorCode> {
    const frame = await this.next((f) => f.type === 'error' && f.taskId === taskId, `an error for task ${taskId}`)
    return frame.type === 'error' ? frame.code : 'unknown'
  }

  /**
   * Sends `to` a cmd and waits for its end-ack. Frames between two users keep their order both ways,
   * so anything `to` answered to what was sent before the probe has arrived by then.
   */
  async probe(to: string): Promise<void> {
    const taskId = PROBE_TASK_ID + this.probes++
    this.send(to, { type: 'cmd', taskId, text: true, payload: new TextEncoder().encode('probe') })
    await this.next((f) => f.type === 'end-ack' && f.taskId === taskId, `the end-ack of probe ${taskId}`)
  }

  /** Frames relayed back for any of `taskIds`. */
  framesFor(...taskIds: number[]): Frame[] {
    return this.frames.filter((frame) => taskIds.includes(frame.taskId))
  }

  close(): void {
    this.socket.close()
  }
}

function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(0)
}

export function within<T>(promise: Promise<T>, what: string, ms = ANSWER_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
