import { ServerProcess } from '../server-process/server-process.js'
import type { PresenceServerConfig } from './presence-server.js'
import type { PresenceServerStats } from './server-stats.js'

/** What the presence server child runs (see `presence-server.ts`). */
const SERVER_MODULE = new URL('./presence-server.ts', import.meta.url)

/** The orchestrator's handle on a presence server child: its URL, its stats, and how to stop it. */
export class PresenceServerProcess {
  readonly #process: ServerProcess

  private constructor(process: ServerProcess) {
    this.#process = process
  }

  static async start(config: PresenceServerConfig): Promise<PresenceServerProcess> {
    const name = config.kind === 'ferry' ? 'Ferry signaling server' : 'raw Socket.IO server'
    const server = await ServerProcess.start({ name, module: SERVER_MODULE, config, nodeFlags: ['--expose-gc'] })
    return new PresenceServerProcess(server)
  }

  get url(): string {
    return this.#process.url
  }

  /**
   * A snapshot of the server process's figures (the child is ours: its answer has the shape we sent);
   * with `collectGarbage`, after a full GC, so its RSS is what the server holds rather than garbage.
   */
  async stats(collectGarbage = false): Promise<PresenceServerStats> {
    return (await this.#process.stats(collectGarbage)) as PresenceServerStats
  }

  /** Starts sampling the server's RSS for `peakRssGrowthMiB`. */
  baseline(): void {
    this.#process.baseline()
  }

  /** The server's peak RSS growth since `baseline`, in MiB. */
  peakRssGrowthMiB(): Promise<number> {
    return this.#process.report()
  }

  /**
   * Stops the server at once. Not a graceful close: with thousands of clients, Ferry's server would
   * announce every one of them going offline to all the others, minutes of work nobody measures.
   */
  kill(): void {
    this.#process.kill()
  }
}
