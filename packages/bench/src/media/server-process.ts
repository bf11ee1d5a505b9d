import { ServerProcess } from '../server-process/server-process.js'

/** What the media server child runs (see `server-child.ts`). */
const SERVER_MODULE = new URL('./server-child.ts', import.meta.url)

/** Which server the child runs, handed to it as JSON. */
export type MediaServerConfig =
  /** Ferry's signaling server, its media store taking media up to `maxBytes`. */
  | { kind: 'ferry'; maxBytes: number }
  /** The bare HTTP server of the raw baseline, storing under `dir`. */
  | { kind: 'raw'; dir: string }

/** The orchestrator's handle on a media server child. */
export type MediaServerProcess = ServerProcess

export function startMediaServer(config: MediaServerConfig): Promise<MediaServerProcess> {
  return ServerProcess.start({ name: `${config.kind} media server`, module: SERVER_MODULE, config })
}
