/**
 * What a delivery server child runs (see `../server-process/server-child.ts`): Ferry's signaling server
 * with its state where the bench says, or the raw baseline's bare Socket.IO server.
 */
import { createSignalingServer, type SignalingServerOptions } from '@ferry/signaling'
import type { ChildServer } from '../server-process/server-ipc.js'
import { startServer as startRawServer } from './raw-delivery-server.js'

/** The bench's admin key, for the server API that keeps the messages (at least 32 characters). */
export const BENCH_ADMIN_KEY = 'bench-delivery-admin-key-0123456789abcdef'

/**
 * Every client of the bench comes from 127.0.0.1 and the API sender sends as fast as it can: limits
 * far above what the run needs, so the bench measures delivery, not the rate limits.
 */
const BENCH_RATE = { perSecond: 1_000_000, burst: 1_000_000 }

export type DeliveryServerConfig =
  | { kind: 'raw' }
  /** `state`: `SignalingServerOptions` naming where the state lives (`state`-free options as JSON). */
  | { kind: 'ferry'; state: Record<string, unknown> }

export async function startServer(config: DeliveryServerConfig): Promise<ChildServer> {
  if (config.kind === 'raw') return startRawServer()
  const options: SignalingServerOptions = {
    ...(config.state as Partial<SignalingServerOptions>),
    port: 0,
    host: '127.0.0.1',
    adminKey: BENCH_ADMIN_KEY,
    media: false,
    maxConnectionsPerAddress: 0,
    serverApi: { sendsPerSecond: BENCH_RATE.perSecond, sendBurst: BENCH_RATE.burst },
    limits: { loginsPerAddress: BENCH_RATE, loginsPerUser: BENCH_RATE, events: BENCH_RATE },
  }
  const server = await createSignalingServer(options)
  return { url: server.url, close: () => server.close() }
}
