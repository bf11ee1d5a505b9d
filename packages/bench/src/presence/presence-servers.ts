import type { PresenceServerConfig } from './presence-server.js'
import { PresenceServerProcess } from './presence-server-process.js'
import type { PresenceServerStats } from './server-stats.js'

/**
 * The server side of a run: one presence server child, or several Ferry nodes sharing one Redis, each
 * in a process of its own. Its `stats` are the nodes' figures summed (RSS and CPU time of all of
 * them, everything they sent); `nodeStats` has them node by node.
 */
export class PresenceServers {
  readonly #nodes: PresenceServerProcess[]

  private constructor(nodes: PresenceServerProcess[]) {
    this.#nodes = nodes
  }

  /** One server per config, started together; if one fails to start, the others are stopped. */
  static async start(configs: PresenceServerConfig[]): Promise<PresenceServers> {
    const started = await Promise.allSettled(configs.map((config) => PresenceServerProcess.start(config)))
    const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    const failure = started.find((s) => s.status === 'rejected')
    if (failure) {
      for (const node of nodes) node.kill()
      throw failure.reason
    }
    return new PresenceServers(nodes)
  }

  /** Each node's URL, in node order: a client's `node` indexes it. */
  get urls(): string[] {
    return this.#nodes.map((node) => node.url)
  }

  /** Every node's stats, in node order (see `PresenceServerProcess.stats`). */
  nodeStats(collectGarbage = false): Promise<PresenceServerStats[]> {
    return Promise.all(this.#nodes.map((node) => node.stats(collectGarbage)))
  }

  /** All nodes' stats summed: what the deployment as a whole holds, spent and sent. */
  async stats(collectGarbage = false): Promise<PresenceServerStats> {
    return sumStats(await this.nodeStats(collectGarbage))
  }

  /** Starts sampling every node's RSS for `peakRssGrowthMiB`. */
  baseline(): void {
    for (const node of this.#nodes) node.baseline()
  }

  /** Each node's peak RSS growth since `baseline`, in MiB, in node order. */
  peakRssGrowthMiB(): Promise<number[]> {
    return Promise.all(this.#nodes.map((node) => node.peakRssGrowthMiB()))
  }

  /** Stops every node at once (see `PresenceServerProcess.kill`). */
  kill(): void {
    for (const node of this.#nodes) node.kill()
  }
}

function sumStats(all: PresenceServerStats[]): PresenceServerStats {
  const sum: PresenceServerStats = {
    rssBytes: 0,
    cpuSeconds: 0,
    openConnections: 0,
    sent: { messages: 0, messageBytes: 0, controlPackets: 0, connections: 0 },
  }
  for (const stats of all) {
    sum.rssBytes += stats.rssBytes
    sum.cpuSeconds += stats.cpuSeconds
    sum.openConnections += stats.openConnections
    sum.sent.messages += stats.sent.messages
    sum.sent.messageBytes += stats.sent.messageBytes
    sum.sent.controlPackets += stats.sent.controlPackets
    sum.sent.connections += stats.sent.connections
  }
  return sum
}
