/** What the orchestrator and a server child (see `server-child.ts`) say to each other. */

export type ServerRequest = { t: 'baseline' } | { t: 'report' } | { t: 'close' }

export type ServerReport =
  | { t: 'listening'; url: string }
  /** Peak RSS growth since the last `baseline`, in MiB. */
  | { t: 'rss'; growthMiB: number }
  | { t: 'error'; message: string }

/** A server the child started: where it listens and how to stop it. */
export interface ChildServer {
  url: string
  close(): Promise<void>
}

/** What a module the child runs exports: `startServer`, taking the config the orchestrator handed over. */
export interface ServerModule<Config = unknown> {
  startServer(config: Config): Promise<ChildServer>
}
