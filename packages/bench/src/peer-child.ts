import { type ChildProcess, fork } from 'node:child_process'
import { type ChildMessage, Inbox, type ParentMessage, type PeerConfig } from './peer-ipc.js'

/** How long a child may take to close its connection and exit before it is killed. */
const EXIT_GRACE_MS = 5_000

/** Every child still running, so a failure or Ctrl-C can kill them all. */
const running = new Set<PeerChild>()

export function killAllPeers(): void {
  for (const child of running) child.kill()
}

/**
 * The orchestrator's handle on one peer child process. Its stdout goes to our stderr, so stdout carries
 * only the JSON lines. An error message from the child, or an exit before `close`, fails every wait.
 */
export class PeerChild {
  /** Called for each SDP the child wants relayed to its peer. */
  onSignal: ((data: unknown) => void) | undefined
  /** Rejects when the child fails; never resolves. */
  readonly failed: Promise<never>
  readonly #label: string
  readonly #process: ChildProcess
  readonly #inbox = new Inbox<ChildMessage>()
  readonly #exited: Promise<void>
  #closing = false
  #error: Error | undefined

  constructor(label: string, file: string, config: PeerConfig) {
    this.#label = label
    this.#process = fork(file, [JSON.stringify(config)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    running.add(this)
    this.#process.stdout?.pipe(process.stderr, { end: false })
    let reject!: (error: Error) => void
    this.failed = new Promise<never>((_, r) => {
      reject = r
    })
    this.failed.catch(() => {})
    const fail = (message: string): void => {
      const error = new Error(`${label}: ${message}`)
      this.#error ??= error
      this.#inbox.fail(error)
      reject(error)
    }
    this.#process.on('message', (raw) => {
      const message = raw as ChildMessage
      if (message.t === 'error') fail(message.message)
      else if (message.t === 'signal') this.onSignal?.(message.data)
      else this.#inbox.push(message)
    })
    this.#process.on('error', (error) => fail(error.message))
    this.#exited = new Promise((resolve) => {
      // 'close' comes after the IPC channel is drained, so an error the child sent just before it exited is seen first.
      this.#process.on('close', (code, signal) => {
        running.delete(this)
        if (!this.#closing) fail(`exited early (${signal ? `signal ${signal}` : `code ${code}`})`)
        resolve()
      })
    })
  }

  send(message: ParentMessage): void {
    if (this.#process.connected) this.#process.send(message)
  }

  /** The child's next message of type `t`, or a rejection naming the child and the step. */
  next<T extends ChildMessage['t']>(t: T, timeoutMs: number): Promise<Extract<ChildMessage, { t: T }>> {
    return this.#inbox.next(t, timeoutMs, `'${t}'`).catch((error: Error) => {
      throw error.message.startsWith(this.#label) ? error : new Error(`${this.#label}: ${error.message}`)
    })
  }

  /**
   * Asks the child to close its connection and exit; kills it if it has not after `EXIT_GRACE_MS`.
   * Rejects if the child reported an error, while closing or before.
   */
  async close(): Promise<void> {
    this.#closing = true
    this.send({ t: 'close' })
    const timer = setTimeout(() => {
      this.#error ??= new Error(`${this.#label}: did not exit within ${EXIT_GRACE_MS} ms of 'close'`)
      this.kill()
    }, EXIT_GRACE_MS)
    await this.#exited
    clearTimeout(timer)
    if (this.#error) throw this.#error
  }

  kill(): void {
    this.#closing = true
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGKILL')
  }
}
