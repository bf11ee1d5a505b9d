import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Inbox } from '../peer-ipc.js'
import type { ServerReport, ServerRequest } from './server-ipc.js'

/** Child start (tsx) and listening. */
const START_TIMEOUT_MS = 30_000
/** An answer to `report`, or an exit after `close`. */
const STEP_TIMEOUT_MS = 10_000

const CHILD_FILE = fileURLToPath(new URL('./server-child.ts', import.meta.url))

/** Which server a child runs. */
export interface ServerSpec<Config> {
  /** The server in error messages, e.g. `signaling server`. */
  name: string
  /** A module exporting `startServer` (a `ServerModule<Config>`), imported by the child only. */
  module: URL
  /** Handed to `startServer` as JSON. */
  config: Config
  /** Node flags for the child besides the TypeScript loader, e.g. `--expose-gc`. */
  nodeFlags?: string[]
}

/** The orchestrator's handle on a server child (see `server-child.ts`). */
export class ServerProcess {
  readonly url: string
  readonly #process: ChildProcess
  readonly #inbox: Inbox<ServerReport>

  private constructor(url: string, child: ChildProcess, inbox: Inbox<ServerReport>) {
    this.url = url
    this.#process = child
    this.#inbox = inbox
  }

  static async start<Config>({ name, module, config, nodeFlags = [] }: ServerSpec<Config>): Promise<ServerProcess> {
    const child = fork(CHILD_FILE, [module.href, JSON.stringify(config ?? null)], {
      execArgv: ['--import', 'tsx', ...nodeFlags],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    child.stdout?.pipe(process.stderr, { end: false })
    const inbox = new Inbox<ServerReport>()
    child.on('message', (raw) => {
      const message = raw as ServerReport
      if (message.t === 'error') inbox.fail(new Error(`${name}: ${message.message}`))
      else inbox.push(message)
    })
    child.on('exit', (code, signal) => inbox.fail(new Error(`${name} exited (${signal ?? `code ${code}`})`)))
    try {
      const { url } = await inbox.next('listening', START_TIMEOUT_MS, `the ${name} to listen`)
      return new ServerProcess(url, child, inbox)
    } catch (error) {
      child.kill('SIGKILL')
      throw error
    }
  }

  /** Starts sampling the server's RSS. */
  baseline(): void {
    this.#send({ t: 'baseline' })
  }

  /** Peak RSS growth since `baseline`, in MiB. */
  async report(): Promise<number> {
    this.#send({ t: 'report' })
    return (await this.#inbox.next('rss', STEP_TIMEOUT_MS, 'the server RSS report')).growthMiB
  }

  /**
   * What the server's `stats()` says now (null when it has none); the caller knows its shape. With
   * `collectGarbage`, after a full GC, when the child was started with `--expose-gc`.
   */
  async stats(collectGarbage = false): Promise<unknown> {
    this.#send({ t: 'stats', collectGarbage })
    return (await this.#inbox.next('stats', STEP_TIMEOUT_MS, 'the server stats')).stats
  }

  async close(): Promise<void> {
    const child = this.#process
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    this.#send({ t: 'close' })
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  kill(): void {
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill('SIGKILL')
  }

  #send(message: ServerRequest): void {
    if (this.#process.connected) this.#process.send(message)
  }
}
