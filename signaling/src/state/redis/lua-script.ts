import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/**
 * A Lua script run atomically by Redis: sent once, then called by its SHA-1 (`EVALSHA`), and sent again
 * when Redis forgot it (a restart, `SCRIPT FLUSH`). Scripts are how each store call stays atomic
 * across every node.
 */
export class LuaScript {
  readonly #sha: string

  constructor(
    private readonly source: string,
    private readonly keyCount: number,
  ) {
    this.#sha = createHash('sha1').update(source).digest('hex')
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (keys.length !== this.keyCount) throw new Error(`a script of ${this.keyCount} keys got ${keys.length}`)
    try {
      return await redis.evalsha(this.#sha, this.keyCount, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await redis.eval(this.source, this.keyCount, ...keys, ...args)
    }
  }
}
