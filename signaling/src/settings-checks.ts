import { FerryError } from '@ferry/protocol'
import { MAX_MEDIA_SWEEP_EVERY_MS, MIN_RELAY_BYTES_PER_SECOND, MIN_TURN_SECRET_BYTES } from './constants.js'
import type { TurnSettings } from './turn-credentials.js'

/**
 * Checks of relay, TURN, media store and connection settings, shared by `createSignalingServer` and the CLI. Each throws a
 * `FerryError` with code `invalid-argument` whose message starts with `name`, the setting as the
 * caller knows it (an option, a flag or an environment variable).
 */

export function checkRelayBytesPerSecond(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < MIN_RELAY_BYTES_PER_SECOND) {
    throw bad(`${name} must be a whole number of bytes per second, at least ${MIN_RELAY_BYTES_PER_SECOND}`)
  }
  return value
}

export function checkTurnSecret(value: string, name: string): string {
  const bytes = new TextEncoder().encode(value).length
  if (bytes < MIN_TURN_SECRET_BYTES) {
    throw bad(`${name} must be at least ${MIN_TURN_SECRET_BYTES} bytes (it has ${bytes})`)
  }
  return value
}

/** A TURN URL as RTCPeerConnection takes it: `turn:` or `turns:`, a host, optional port and query. */
export function checkTurnUrl(value: string, name: string): string {
  if (!/^turns?:[^\s,]+$/.test(value)) throw bad(`${name} must be turn: or turns: URLs, got "${value}"`)
  return value
}

/** Both the secret and at least one URL, or neither. */
export function checkTurn(
  secret: string | undefined,
  urls: readonly string[] | undefined,
  names: { secret: string; urls: string },
): TurnSettings | undefined {
  const hasUrls = urls !== undefined && urls.length > 0
  if (secret === undefined && !hasUrls) return undefined
  if (secret === undefined) throw bad(`${names.urls} needs ${names.secret} too`)
  if (!hasUrls) throw bad(`${names.secret} needs ${names.urls} too`)
  return {
    secret: checkTurnSecret(secret, names.secret),
    urls: urls.map((url) => checkTurnUrl(url, names.urls)),
  }
}

export function checkMediaDir(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(`${name} must be a directory path`)
  return value
}

export function checkStateDir(value: string, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(`${name} must be a directory path`)
  return value
}

export function checkMediaMaxBytes(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw bad(`${name} must be a whole number of bytes, at least 1`)
  return value
}

export function checkMediaRetentionMs(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw bad(`${name} must be a whole number of ms, at least 1`)
  return value
}

export function checkMediaSweepEveryMs(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_MEDIA_SWEEP_EVERY_MS) {
    throw bad(`${name} must be a whole number of ms from 1 to ${MAX_MEDIA_SWEEP_EVERY_MS}`)
  }
  return value
}

/** A whole number of connections, or 0 for no cap. */
export function checkMaxConnectionsPerAddress(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw bad(`${name} must be a whole number of connections, 0 for no cap`)
  return value
}

function bad(message: string): FerryError {
  return new FerryError('invalid-argument', message)
}

/** A Redis key prefix: letters, digits and `_.:-`, short, so keys stay short and never need quoting. */
const REDIS_PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/

export function checkRedisPrefix(value: string, name: string): string {
  if (!REDIS_PREFIX_PATTERN.test(value)) throw bad(`${name} must be 1 to 64 of A-Z a-z 0-9 _ . : -, got "${value}"`)
  return value
}
