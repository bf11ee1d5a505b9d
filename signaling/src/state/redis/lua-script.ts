import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/**
 * A Lua script run with EVALSHA, sent whole (EVAL) only when the server does not know it yet (after
 * a restart or SCRIPT FLUSH). A script runs atomically: no other command sees it half done.
 *
 * The scripts here compute the keys of other users, rooms and media from the prefix, so every key of
 * one prefix must live on one Redis server (no Redis Cluster).
 */
export class LuaScript {
  readonly #sha: string

  constructor(private readonly source: string) {
    this.#sha = createHash('sha1').update(source).digest('hex')
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.#sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await client.eval(this.source, keys.length, ...keys, ...args)
    }
  }
}

/** A reply that is a list of strings, from a script that returns one. */
export function stringList(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map(String) : []
}
