import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Inbox } from '../peer-ipc.js'
import type { SignalingReport, SignalingRequest } from '../relay/signaling-ipc.js'

/** Child start (tsx) and listening. */
const START_TIMEOUT_MS = 30_000
/** An answer to `report`, or an exit after `close`. */
const STEP_TIMEOUT_MS = 10_000

const CHILD_FILE = fileURLToPath(new URL('./server-child.ts', import.meta.url))

/** Which server the child runs, handed to it as one JSON argument. */
export type MediaServerConfig =
  /** Ferry's signaling server, its media store taking media up to `maxBytes`. */
  | { kind: 'ferry'; maxBytes: number }
  /** The bare HTTP server of the raw baseline, storing under `dir`. */
  | { kind: 'raw'; dir: string }

/** The orchestrator's handle on a media server child (see `server-child.ts`). */
export class MediaServerProcess {
  readonly url: string
  readonly #process: ChildProcess
  readonly #inbox: Inbox<SignalingReport>

  private constructor(url: string, child: ChildProcess, inbox: Inbox<SignalingReport>) {
    this.url = url
    this.#process = child
    this.#inbox = inbox
  }

  static async start(config: MediaServerConfig): Promise<MediaServerProcess> {
    const child = fork(CHILD_FILE, [JSON.stringify(config)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    })
    child.stdout?.pipe(process.stderr, { end: false })
    const inbox = new Inbox<SignalingReport>()
    child.on('message', (raw) => {
      const message = raw as SignalingReport
      if (message.t === 'error') inbox.fail(new Error(`${config.kind} media server: ${message.message}`))
      else inbox.push(message)
    })
    child.on('exit', (code, signal) =>
      inbox.fail(new Error(`${config.kind} media server exited (${signal ?? `code ${code}`})`)),
    )
    try {
      const { url } = await inbox.next('listening', START_TIMEOUT_MS, `the ${config.kind} media server to listen`)
      return new MediaServerProcess(url, child, inbox)
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

  #send(message: SignalingRequest): void {
    if (this.#process.connected) this.#process.send(message)
  }
}
