import { createHash, timingSafeEqual } from 'node:crypto'
import { FerryError } from '@ferry/protocol'
import { MIN_ADMIN_KEY_CHARS } from '../constants.js'

const BEARER = /^Bearer (\S+)$/i

/**
 * Checks the admin key a server is started with: at least MIN_ADMIN_KEY_CHARS characters, no
 * whitespace (it travels in a header). Throws `invalid-argument` naming `source`.
 */
export function checkAdminKey(key: string, source: string): string {
  if (typeof key !== 'string' || key.length < MIN_ADMIN_KEY_CHARS || /\s/.test(key)) {
    throw new FerryError(
      'invalid-argument',
      `${source} must be at least ${MIN_ADMIN_KEY_CHARS} characters with no whitespace (e.g. openssl rand -base64 32)`,
    )
  }
  return key
}

/**
 * Whether `authorization` is `Bearer <key>`. The comparison takes the same time wherever the two
 * differ: both sides are hashed first, so even their lengths do not show.
 */
export function hasAdminKey(authorization: string | undefined, key: string): boolean {
  const given = BEARER.exec(authorization ?? '')?.[1]
  if (given === undefined) return false
  return timingSafeEqual(digest(given), digest(key))
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}
