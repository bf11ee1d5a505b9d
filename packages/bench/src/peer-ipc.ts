/** What the orchestrator and its peer children say to each other over the `fork` IPC channel. */

export type BenchCase = 'buffer' | 'file' | 'cmd'
export type PeerImpl = 'raw' | 'ferry'
export type PeerRole = 'sender' | 'receiver'

/** Handed to a peer child as its only argument, as JSON. */
export interface PeerConfig {
  role: PeerRole
  benchCase: BenchCase
  sizeBytes: number
  /** Buffer case: the seed the sender regenerates the buffer from (see `seededBuffer`). */
  seed: number
  /** File case: the file the sender reads. */
  sourcePath: string
  /** Where the receiver writes (raw: its file; Ferry: the download directory). */
  workDir: string
  /** Hex SHA-256 the receiver must end up with. */
  expectedSha256: string
  cmdCount: number
  cmdWarmup: number
  /** Ferry only: the signaling server URL. */
  url: string
  /** Ferry relay bench with several nodes: the receiver's server, another node than the sender's. */
  receiverUrl?: string
  selfId: string
  peerId: string
}

export interface SenderResult {
  seconds: number
  rssGrowthMiB: number
  /** What the sender hashed while sending (raw), or null when the engine verified it itself (Ferry). */
  sha256: string | null
  /** Cmd case: round-trip times in ms. */
  rttMs: number[]
}

export interface ReceiverResult {
  rssGrowthMiB: number
}

export type ParentMessage =
  | { t: 'signal'; data: unknown }
  | { t: 'arm' }
  | { t: 'start' }
  | { t: 'verify' }
  | { t: 'close' }

export type ChildMessage =
  | { t: 'ready' }
  | { t: 'signal'; data: unknown }
  | { t: 'linked' }
  | { t: 'armed' }
  | { t: 'sent'; result: SenderResult }
  | { t: 'received'; result: ReceiverResult }
  | { t: 'verified'; sha256: string }
  | { t: 'error'; message: string }

interface Waiter {
  t: string
  resolve: (message: never) => void
  reject: (error: Error) => void
  timer: ReturnType<typeof setTimeout> | undefined
}

/** Messages not yet asked for, and askers not yet answered. After `fail`, every ask rejects. */
export class Inbox<M extends { t: string }> {
  #queue: M[] = []
  #waiters: Waiter[] = []
  #failure: Error | undefined

  push(message: M): void {
    const index = this.#waiters.findIndex((waiter) => waiter.t === message.t)
    const waiter = this.#waiters[index]
    if (!waiter) {
      this.#queue.push(message)
      return
    }
    this.#waiters.splice(index, 1)
    clearTimeout(waiter.timer)
    waiter.resolve(message as never)
  }

  fail(error: Error): void {
    this.#failure ??= error
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(this.#failure)
    }
  }

  /** The next message of type `t`; rejects after `timeoutMs` (none when omitted) saying it waited for `step`. */
  next<T extends M['t']>(t: T, timeoutMs?: number, step: string = t): Promise<Extract<M, { t: T }>> {
    if (this.#failure) return Promise.reject(this.#failure)
    const index = this.#queue.findIndex((message) => message.t === t)
    if (index >= 0) return Promise.resolve(this.#queue.splice(index, 1)[0] as Extract<M, { t: T }>)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { t, resolve, reject, timer: undefined }
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${step}`))
        }, timeoutMs)
      }
      this.#waiters.push(waiter)
    })
  }
}
