export interface RedisServer {
  port: number
  /** `redis://127.0.0.1:<port>`. */
  url: string
  /** What redis-server logged so far (its last lines). */
  log(): string
  /** Ends the server and removes its directory. Safe to call more than once. */
  stop(): Promise<void>
}

/** The path of `redis-server`, or undefined when it is not installed. */
export function findRedisServer(): string | undefined

/** Starts a throwaway redis-server on 127.0.0.1 and a free port; rejects when it is not installed. */
export function startRedis(binary?: string): Promise<RedisServer>
