/**
 * What the signaling server child runs (see `../server-process/server-child.ts`), so the server's RSS
 * is its own: the relay's memory cost is what the bench reports.
 */
import { createSignalingServer } from '@ferry/signaling'
import type { ChildServer } from '../server-process/server-ipc.js'

/**
 * The relay budget per user during the bench: far above what loopback carries, so the server
 * measures the relay's own cost and never throttles (the default would cut a fast sender off).
 */
const BENCH_RELAY_BYTES_PER_SECOND = 1024 * 1024 * 1024

/** `redisUrl`: the node shares its state and its Socket.IO rooms with the other nodes on this Redis. */
export interface SignalingChildConfig {
  redisUrl?: string
}

export async function startServer(config: SignalingChildConfig | null): Promise<ChildServer> {
  return createSignalingServer({
    port: 0,
    relayBytesPerSecond: BENCH_RELAY_BYTES_PER_SECOND,
    ...(config?.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
  })
}
