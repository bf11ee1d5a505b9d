import type { SentTotals } from './sent-counter.js'

/** What a presence server child reports about itself (see `presence-server.ts`). */
export interface PresenceServerStats {
  /** Resident set size of the server's process, in bytes. */
  rssBytes: number
  /** CPU time of the server's process so far (user + system), in seconds. */
  cpuSeconds: number
  /** Engine.io connections open now. */
  openConnections: number
  sent: SentTotals
}

/** This process's figures, with what its server's `SentCounter` counted. */
export function processStats(sent: SentTotals, openConnections: number): PresenceServerStats {
  const cpu = process.cpuUsage()
  return {
    rssBytes: process.memoryUsage.rss(),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    openConnections,
    sent,
  }
}
