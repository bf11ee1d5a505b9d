import { createHash, randomBytes } from 'node:crypto'
import type { FileCommand, SendTarget } from '@ferry/protocol'
import { MAX_FILE_TOKENS } from '../constants.js'

/** Bytes of randomness in a file token: 256 bits, it stands for the admin key for one send. */
const FILE_TOKEN_BYTES = 32

/** What a file token allows: one file send by `from`, with `cmd`, to `target`. */
export interface FileGrant {
  from: string
  cmd: Exclude<FileCommand, 'broadcastfile'>
  target: SendTarget
}

/**
 * File tokens of the server API: each grants one file send, for a while. Only their SHA-256 is kept, so
 * a dump of the server's memory hands out no valid token. A token is spent by its first use, whether
 * the upload then succeeds or not.
 */
export class FileTokens {
  /** By the token's hash, oldest first (a Map keeps insertion order). */
  private readonly grants = new Map<string, FileGrant & { expiresAt: number }>()

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  issue(grant: FileGrant): { token: string; expiresAt: number } {
    this.forgetExpired()
    const token = randomBytes(FILE_TOKEN_BYTES).toString('base64url')
    const expiresAt = this.now() + this.ttlMs
    this.grants.set(hash(token), { ...grant, expiresAt })
    if (this.grants.size > MAX_FILE_TOKENS) this.grants.delete(this.grants.keys().next().value!)
    return { token, expiresAt }
  }

  /** The grant of a live token, which is spent by this; undefined for an unknown, used or expired one. */
  redeem(token: string): FileGrant | undefined {
    const key = hash(token)
    const grant = this.grants.get(key)
    if (!grant) return undefined
    this.grants.delete(key)
    if (grant.expiresAt <= this.now()) return undefined
    const { expiresAt: _, ...rest } = grant
    return rest
  }

  /** Every token lives the same time, so the oldest expire first: stops at the first live one. */
  private forgetExpired(): void {
    const now = this.now()
    for (const [key, { expiresAt }] of this.grants) {
      if (expiresAt > now) break
      this.grants.delete(key)
    }
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
