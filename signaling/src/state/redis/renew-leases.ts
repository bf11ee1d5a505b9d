import type { Redis } from 'ioredis'

/**
 * Pushes the expiry of each key `leaseMs` into the future, in one round trip: what a node does for
 * the per-user keys of the users it holds, so a dead node's users drop out by themselves.
 */
export async function renewLeases(client: Redis, keys: Iterable<string>, leaseMs: number): Promise<void> {
  const pipeline = client.pipeline()
  for (const key of keys) pipeline.pexpire(key, leaseMs)
  await pipeline.exec()
}
