import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Inbox } from '../peer-ipc.js'
import type { FleetChildConfig, FleetReport, FleetRequest } from './fleet-ipc.js'

/** Child start until it says `started`: several start at once, each compiling through tsx, on a busy machine. */
const START_TIMEOUT_MS = 120_000

const CHILD_FILE = fileURLToPath(new URL('./fleet-child.ts', import.meta.url))

/**
 * The orchestrator's handle on one client fleet child (see `fleet-child.ts`). Its stdout goes to our
 * stderr, so stdout carries only the JSON lines. An error from the child, or an exit, fails every wait.
 */
export class FleetChildProcess {
  /** This child's latest progress during a login batch. */
  progress = { ready: 0, failed: 0 }
  readonly #label: string
  readonly #process: ChildProcess
  readonly #inbox = new Inbox<FleetReport>()

  private constructor(label: string, config: FleetChildConfig) {
    this.#label = label
    this.#process = fork(CHILD_FILE, [JSON.stringify(config)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    this.#process.stdout?.pipe(process.stderr, { end: false })
    const fail = (message: string): void => this.#inbox.fail(new Error(`${label}: ${message}`))
    this.#process.on('message', (raw) => {
      const message = raw as FleetReport
      if (message.t === 'error') fail(message.message)
      else if (message.t === 'progress') this.progress = { ready: message.ready, failed: message.failed }
      else this.#inbox.push(message)
    })
    this.#process.on('error', (error) => fail(error.message))
    this.#process.on('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`})`))
  }

  static async start(label: string, config: FleetChildConfig): Promise<FleetChildProcess> {
    const child = new FleetChildProcess(label, config)
    try {
      await child.next('started', START_TIMEOUT_MS)
      return child
    } catch (error) {
      child.kill()
      throw error
    }
  }

  send(message: FleetRequest): void {
    if (this.#process.connected) this.#process.send(message)
  }

  /** The child's next report of type `t`, or a rejection naming the child and what it waited for. */
  next<T extends FleetReport['t']>(t: T, timeoutMs: number): Promise<Extract<FleetReport, { t: T }>> {
    return this.#inbox.next(t, timeoutMs, `'${t}' from ${this.#label}`)
  }

  kill(): void {
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGKILL')
  }
}
