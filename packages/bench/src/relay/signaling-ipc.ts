/** What the orchestrator and the signaling server child say to each other. */

export type SignalingRequest = { t: 'baseline' } | { t: 'report' } | { t: 'close' }

export type SignalingReport =
  | { t: 'listening'; url: string }
  /** Peak RSS growth since the last `baseline`, in MiB. */
  | { t: 'rss'; growthMiB: number }
  | { t: 'error'; message: string }

/**
 * The relay budget per user during the bench: far above what loopback carries, so the server
 * measures the relay's own cost and never throttles (the default would cut a fast sender off).
 */
export const BENCH_RELAY_BYTES_PER_SECOND = 1024 * 1024 * 1024
