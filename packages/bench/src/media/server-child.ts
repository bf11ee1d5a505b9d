/**
 * What a media server child runs (see `../server-process/server-child.ts`), so the server's RSS is its
 * own: either Ferry's signaling server with its media store, or the raw baseline's bare HTTP server.
 */
import { createSignalingServer } from '@ferry/signaling'
import type { ChildServer } from '../server-process/server-ipc.js'
import { startRawMediaServer } from './raw-media-server.js'
import type { MediaServerConfig } from './server-process.js'

export async function startServer(config: MediaServerConfig): Promise<ChildServer> {
  if (config.kind === 'raw') return startRawMediaServer(config.dir)
  // The store in a temporary directory of its own (the default), taking media as large as the bench's.
  return createSignalingServer({ port: 0, host: '127.0.0.1', media: { maxBytes: config.maxBytes } })
}
