import { createHash, randomBytes } from 'node:crypto'
import { MEDIA_KEY_BYTES } from '../constants.js'

/**
 * Bearer keys of the media routes, one per session: issued when a socket logs in, revoked when it
 * disconnects, so a key is worth exactly as much as the live session it was handed to. Only a hash of
 * each key is held, so looking one up compares hashes, never the secret itself.
 */
export class MediaKeys {
  private readonly users = new Map<string, string>()

  /** A fresh key that stands for `userId` until `revoke`. */
  issue(userId: string): string {
    const key = randomBytes(MEDIA_KEY_BYTES).toString('base64url')
    this.users.set(digest(key), userId)
    return key
  }

  revoke(key: string): void {
    this.users.delete(digest(key))
  }

  /** The user a key stands for, or undefined for a revoked or made-up key. */
  userOf(key: string): string | undefined {
    return this.users.get(digest(key))
  }

  /** Keys in force: one per live session. */
  get size(): number {
    return this.users.size
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url')
}
