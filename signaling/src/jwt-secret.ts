import { FerryError } from '@ferry/protocol'
import { MIN_JWT_SECRET_BYTES } from './constants.js'

/** The HS256 key for a secret. Throws `invalid-argument` when the secret is too short to be safe. */
export function jwtKey(secret: string): Uint8Array {
  const key = new TextEncoder().encode(secret)
  if (key.length < MIN_JWT_SECRET_BYTES) {
    throw new FerryError(
      'invalid-argument',
      `the JWT secret must be at least ${MIN_JWT_SECRET_BYTES} bytes (it has ${key.length})`,
    )
  }
  return key
}
