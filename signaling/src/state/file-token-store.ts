import type { FileCommand, SendTarget } from '@ferry/protocol'

/** What a file token allows: one file send by `from`, with `cmd`, to `target`. */
export interface FileGrant {
  from: string
  cmd: Exclude<FileCommand, 'broadcastfile'>
  target: SendTarget
}

/** A grant as kept: until `expiresAt`, ms since the epoch. */
export interface StoredGrant extends FileGrant {
  expiresAt: number
}

/**
 * File tokens of the server API, by the SHA-256 of the token (never the token itself, so a dump of the
 * store hands out no valid token). Methods return promises so a file or a database shared by several
 * nodes fits the same shape; each call must be atomic on its own.
 */
export interface FileTokenStore {
  /** Keeps `grant` under `tokenHash`. Past `maxTokens` the oldest go first. */
  put(tokenHash: string, grant: StoredGrant, maxTokens: number): Promise<void>
  /** Removes the grant under `tokenHash` and resolves to it, expired or not: a token is spent by its first use. */
  take(tokenHash: string): Promise<StoredGrant | undefined>
}

/** The default store: this process's memory. */
export class InMemoryFileTokenStore implements FileTokenStore {
  /** Oldest first: every token lives the same time, so they also expire in this order. */
  readonly #grants = new Map<string, StoredGrant>()

  constructor(private readonly now: () => number = Date.now) {}

  async put(tokenHash: string, grant: StoredGrant, maxTokens: number): Promise<void> {
    const now = this.now()
    for (const [key, { expiresAt }] of this.#grants) {
      if (expiresAt > now) break
      this.#grants.delete(key)
    }
    this.#grants.set(tokenHash, grant)
    while (this.#grants.size > maxTokens) this.#grants.delete(this.#grants.keys().next().value!)
  }

  async take(tokenHash: string): Promise<StoredGrant | undefined> {
    const grant = this.#grants.get(tokenHash)
    this.#grants.delete(tokenHash)
    return grant
  }
}
