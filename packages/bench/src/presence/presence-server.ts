/**
 * What a presence server child runs (see `../server-process/server-child.ts`), so the server's RSS and
 * CPU time are its own: Ferry's signaling server with the options the bench was given, or the raw
 * baseline's bare Socket.IO server. Either counts what it sends (`SentCounter`) and reports it with
 * its process figures from `stats()`.
 */
import { createSignalingServer, type SignalingServerOptions } from '@ferry/signaling'
import type { ChildServer } from '../server-process/server-ipc.js'
import { startRawPresenceServer } from './raw-presence-server.js'
import { SentCounter } from './sent-counter.js'
import { processStats } from './server-stats.js'

/** Which server the child runs, handed to it as JSON. */
export type PresenceServerConfig =
  /**
   * Ferry's signaling server. `options` are `SignalingServerOptions` as JSON (`--server-options`), so a
   * run can raise limits the bench would otherwise hit (every client comes from 127.0.0.1); the port
   * and host are the bench's.
   */
  { kind: 'ferry'; options: Record<string, unknown> } | { kind: 'raw' }

export async function startServer(config: PresenceServerConfig): Promise<ChildServer> {
  if (config.kind === 'raw') return startRawPresenceServer()
  const options = { ...config.options, port: 0, host: '127.0.0.1' } as SignalingServerOptions
  const server = await createSignalingServer(options)
  const counter = new SentCounter(server.io)
  return {
    url: server.url,
    stats: () => processStats(counter.totals(), server.io.engine.clientsCount),
    close: () => server.close(),
  }
}
