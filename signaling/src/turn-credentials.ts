import { createHmac } from 'node:crypto'
import { type IceServer, TURN_CREDENTIAL_TTL_SECONDS } from '@ferry/protocol'

/** A TURN server the signaling server hands out credentials for; see `SignalingServerOptions`. */
export interface TurnSettings {
  /** coturn's `static-auth-secret` (with `use-auth-secret`). */
  secret: string
  /** e.g. `turn:turn.example.com:3478?transport=udp`, `turns:turn.example.com:5349`. */
  urls: string[]
}

/**
 * Short-lived TURN credentials in the TURN REST scheme (coturn's `use-auth-secret`): the username is
 * `<expiry>:<userId>`, expiry in Unix seconds, and the credential the base64 HMAC-SHA1 of the username
 * keyed with the shared secret. The TURN server recomputes it and refuses it after the expiry, so no
 * per-user state is shared between the two servers.
 */
export function turnCredentials(
  turn: TurnSettings,
  userId: string,
  nowMs = Date.now(),
  ttlSeconds = TURN_CREDENTIAL_TTL_SECONDS,
): IceServer {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds
  const username = `${expiry}:${userId}`
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64')
  return { urls: [...turn.urls], username, credential }
}
