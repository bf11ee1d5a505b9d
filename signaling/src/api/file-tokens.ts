import { createHash, randomBytes } from 'node:crypto'
import { MAX_FILE_TOKENS } from '../constants.js'
import type { FileGrant, FileTokenStore } from '../state/file-token-store.js'

export type { FileGrant } from '../state/file-token-store.js'

/** Bytes of randomness in a file token: 256 bits, it stands for the admin key for one send. */
const FILE_TOKEN_BYTES = 32

/**
 * File tokens of the server API: each grants one file send, for a while. Only their SHA-256 is kept, so
 * a dump of the store hands out no valid token. A token is spent by its first use, whether the upload
 * then succeeds or not.
 */
export class FileTokens {
  constructor(
    private readonly store: FileTokenStore,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async issue(grant: FileGrant): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(FILE_TOKEN_BYTES).toString('base64url')
    const expiresAt = this.now() + this.ttlMs
    await this.store.put(hash(token), { ...grant, expiresAt }, MAX_FILE_TOKENS)
    return { token, expiresAt }
  }

  /** The grant of a live token, which is spent by this; undefined for an unknown, used or expired one. */
  async redeem(token: string): Promise<FileGrant | undefined> {
    const grant = await this.store.take(hash(token))
    if (!grant || grant.expiresAt <= this.now()) return undefined
    const { expiresAt: _, ...rest } = grant
    return rest
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
