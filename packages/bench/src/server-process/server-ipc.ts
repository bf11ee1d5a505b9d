/** What the orchestrator and a server child (see `server-child.ts`) say to each other. */

export type ServerRequest =
  | { t: 'baseline' }
  | { t: 'report' }
  /** `collectGarbage`: run a full GC first (the child needs `--expose-gc`), so RSS shows what is live. */
  | { t: 'stats'; collectGarbage: boolean }
  | { t: 'close' }

export type ServerReport =
  | { t: 'listening'; url: string }
  /** Peak RSS growth since the last `baseline`, in MiB. */
  | { t: 'rss'; growthMiB: number }
  /** What the server's `stats()` returned (null when it has none). */
  | { t: 'stats'; stats: unknown }
  | { t: 'error'; message: string }

/** A server the child started: where it listens and how to stop it. */
export interface ChildServer {
  url: string
  close(): Promise<void>
  /** Figures the bench reads from inside the server's process (a snapshot, structured-cloneable). */
  stats?(): unknown
}

/** What a module the child runs exports: `startServer`, taking the config the orchestrator handed over. */
export interface ServerModule<Config = unknown> {
  startServer(config: Config): Promise<ChildServer>
}
