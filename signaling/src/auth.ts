import { type FerryErrorCode, USER_ID_PATTERN } from '@ferry/protocol'
import { errors, jwtVerify } from 'jose'
import { jwtKey } from './jwt-secret.js'
import type { Logger } from './logger.js'
import { loginError } from './login-error.js'
import type { FerrySocket } from './types.js'

/**
 * Login, as a Socket.IO middleware. Dev mode (no secret) takes `auth.userId` as given. Token mode
 * requires `auth.token`, an HS256 JWT signed with the secret, and logs the socket in as its `sub`;
 * any `auth.userId` is ignored. The result goes to `socket.data.userId`, which every later handler
 * uses: a client can never act as another user.
 */
export type AuthMiddleware = (socket: FerrySocket, next: (err?: Error) => void) => void

export type LoginResult = { ok: true; userId: string } | { ok: false; code: FerryErrorCode; message: string }

export function createAuthMiddleware(jwtSecret: string | undefined, logger: Logger): AuthMiddleware {
  const key = jwtSecret === undefined ? undefined : jwtKey(jwtSecret)
  return (socket, next) => {
    const auth: unknown = socket.handshake.auth
    const login = key ? verifyToken(auth, key) : Promise.resolve(devLogin(auth))
    login
      .then((result) => {
        if (!result.ok) {
          logger.warn(`login refused (${result.code}): ${result.message}`)
          next(loginError(result.code, result.message))
          return
        }
        socket.data.userId = result.userId
        next()
      })
      .catch((error: unknown) => {
        logger.warn(`login failed: ${String(error)}`)
        next(loginError('unknown', 'login failed'))
      })
  }
}

/** Dev mode: the client names itself. Only the shape is checked. */
export function devLogin(auth: unknown): LoginResult {
  const userId = field(auth, 'userId')
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
    return { ok: false, code: 'invalid-argument', message: 'auth.userId must be 1 to 64 of A-Z a-z 0-9 _ . @ : -' }
  }
  return { ok: true, userId }
}

/** Token mode: the user id is the `sub` of a valid, unexpired HS256 JWT. */
export async function verifyToken(auth: unknown, key: Uint8Array): Promise<LoginResult> {
  const token = field(auth, 'token')
  if (typeof token !== 'string' || token === '') return badToken('auth.token is required')
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] })
    if (typeof payload.sub !== 'string' || !USER_ID_PATTERN.test(payload.sub)) {
      return badToken('the token sub is not a valid user id')
    }
    return { ok: true, userId: payload.sub }
  } catch (error) {
    if (error instanceof errors.JWTExpired) return badToken('the token has expired')
    if (error instanceof errors.JOSEError) return badToken(`the token is not valid (${error.code})`)
    throw error
  }
}

function badToken(message: string): LoginResult {
  return { ok: false, code: 'bad-token', message }
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined
}
