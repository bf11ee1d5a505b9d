import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/**
 * A Lua script run atomically by Redis: sent once, then called by its SHA-1 (`EVALSHA`), and sent again
 * when Redis forgot it (a restart, `SCRIPT FLUSH`). Scripts are how each store call stays atomic
 * across every node: no other command sees one half done.
 *
 * Some scripts compute the keys of other users, rooms and media from the prefix, so every key of one
 * prefix must live on one Redis server (no Redis Cluster).
 */
export class LuaScript {
  readonly #sha: string

  /** `keyCount`, when given, is checked on every run. */
  constructor(
    private readonly source: string,
    private readonly keyCount?: number,
  ) {
    this.#sha = createHash('sha1').update(source).digest('hex')
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (this.keyCount !== undefined && keys.length !== this.keyCount) {
      throw new Error(`a script of ${this.keyCount} keys got ${keys.length}`)
    }
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await redis.eval(this.source, keys.length, ...keys, ...args)
    }
  }
}

/** A reply that is a list of strings, from a script that returns one. */
export function stringList(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map(String) : []
}
