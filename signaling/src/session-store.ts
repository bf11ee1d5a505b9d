/**
 * Who is online, and which socket holds each user's one live session.
 *
 * Policy: one live session per user id, and the newest login replaces the old one. `claim` hands the
 * id to the new socket at once and returns the socket it took it from; the server then tells that
 * socket `session:ended` (`session-replaced`) and disconnects it. A reloaded tab or a client that
 * reconnects after a network drop gets in immediately instead of waiting for the old socket's ping
 * timeout. `release` only frees the id while the releasing socket still owns it, so the replaced
 * socket's disconnect never marks the user offline.
 *
 * Methods return promises so a store shared by several server nodes (Redis, a database) fits the same
 * shape; each call must be atomic on its own.
 */
export interface SessionStore {
  /** Makes `socketId` the owner of `userId`. Resolves to the previous owner's socket id, if any. */
  claim(userId: string, socketId: string): Promise<string | undefined>
  /** Frees `userId` if `socketId` still owns it. Resolves to true when the user went offline. */
  release(userId: string, socketId: string): Promise<boolean>
  isOnline(userId: string): Promise<boolean>
  /** The socket id that owns `userId` now, undefined when the user is offline. */
  owner(userId: string): Promise<string | undefined>
  /** Every online user id. */
  list(): Promise<string[]>
  /** How many users are online. */
  count(): Promise<number>
}

/** The default store: one process, one map. */
export class InMemorySessionStore implements SessionStore {
  readonly #owners = new Map<string, string>()

  async claim(userId: string, socketId: string): Promise<string | undefined> {
    const previous = this.#owners.get(userId)
    this.#owners.set(userId, socketId)
    return previous === socketId ? undefined : previous
  }

  async release(userId: string, socketId: string): Promise<boolean> {
    if (this.#owners.get(userId) !== socketId) return false
    this.#owners.delete(userId)
    return true
  }

  async isOnline(userId: string): Promise<boolean> {
    return this.#owners.has(userId)
  }

  async owner(userId: string): Promise<string | undefined> {
    return this.#owners.get(userId)
  }

  async list(): Promise<string[]> {
    return [...this.#owners.keys()]
  }

  async count(): Promise<number> {
    return this.#owners.size
  }
}
