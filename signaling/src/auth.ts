import { type FerryErrorCode, HandshakeAuthSchema, parseValue, USER_ID_PATTERN } from '@ferry/protocol'
import { errors, jwtVerify } from 'jose'
import { describeError } from './describe-error.js'
import type { Limits } from './limits/limits.js'
import type { Logger } from './logger.js'
import { loginError } from './login-error.js'
import type { FerrySocket } from './types.js'

/**
 * Login, as a Socket.IO middleware. Dev mode (no secret) takes `auth.userId` as given. Token mode
 * requires `auth.token`, an HS256 JWT signed with the secret, and logs the socket in as its `sub`;
 * any `auth.userId` is ignored. The result goes to `socket.data`, which every later handler uses: a
 * client can never act as another user.
 *
 * Before any of that, the login takes a token from its address's login budget, and after it one from
 * the user's: both refuse with `rate-limited`. A login that passes takes over the user's budgets from
 * wherever its previous session left them (`Limits.takeOver`).
 */
export type AuthMiddleware = (socket: FerrySocket, next: (err?: Error) => void) => void

export type LoginResult = { ok: true; userId: string } | { ok: false; code: FerryErrorCode; message: string }

/** How tokens are checked. */
export interface TokenRules {
  /** The HS256 key. */
  key: Uint8Array
  /** When set, a token's `iss` must be this. */
  issuer?: string
  /** When set, a token's `aud` must be (or include) this. */
  audience?: string
  /** Longest a token may be valid: `exp` minus `iat` (or minus now, when it has no `iat`). */
  maxLifetimeSeconds: number
}

/**
 * Clock difference allowed between the server and whoever signed a token, for `exp`, `nbf` and `iat`:
 * machines synced by NTP are within a second; half a minute covers a laptop that just woke up.
 */
const CLOCK_TOLERANCE_SECONDS = 30

export function createAuthMiddleware(rules: TokenRules | undefined, limits: Limits, logger: Logger): AuthMiddleware {
  return (socket, next) => {
    const refuse = (code: FerryErrorCode, message: string): void => {
      logger.warn(`login refused (${code}): ${message}`)
      next(loginError(code, message))
    }
    const login = async (): Promise<void> => {
      if (!(await limits.loginFrom(socket.handshake.address))) {
        return refuse('rate-limited', 'too many logins from this address, slow down')
      }
      const auth = parseValue(HandshakeAuthSchema, socket.handshake.auth)
      if (!auth.ok) return refuse('invalid-argument', `auth: ${auth.message}`)
      const result = rules ? await verifyToken(auth.value.token, rules) : devLogin(auth.value.userId)
      if (!result.ok) return refuse(result.code, result.message)
      if (!(await limits.loginAs(result.userId))) return refuse('rate-limited', `too many logins as ${result.userId}`)
      // The budgets this user spent on the node it was on come along.
      await limits.takeOver(result.userId)
      socket.data.userId = result.userId
      socket.data.presence = [...new Set(auth.value.presence ?? [])].filter((user) => user !== result.userId)
      next()
    }
    login().catch((error: unknown) => {
      logger.warn(`login failed: ${describeError(error)}`)
      next(loginError('unknown', 'login failed'))
    })
  }
}

/** Dev mode: the client names itself. Only the shape is checked. */
export function devLogin(userId: unknown): LoginResult {
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
    return {
      ok: false,
      code: 'invalid-argument',
      message: 'auth.userId must be 1 to 64 of A-Z a-z 0-9 _ . @ : -, not only dots',
    }
  }
  return { ok: true, userId }
}

/**
 * Token mode: the user id is the `sub` of a valid HS256 JWT that has an `exp` within the rules'
 * maximum lifetime, and the rules' `iss` and `aud` when they name them.
 */
export async function verifyToken(token: unknown, rules: TokenRules): Promise<LoginResult> {
  if (typeof token !== 'string' || token === '') return badToken('auth.token is required')
  try {
    const { payload } = await jwtVerify(token, rules.key, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(rules.issuer === undefined ? {} : { issuer: rules.issuer }),
      ...(rules.audience === undefined ? {} : { audience: rules.audience }),
    })
    if (typeof payload.sub !== 'string' || !USER_ID_PATTERN.test(payload.sub)) {
      return badToken('the token sub is not a valid user id')
    }
    const exp = payload.exp ?? 0
    const from = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000)
    if (exp - from > rules.maxLifetimeSeconds) {
      return badToken(`the token is valid for ${exp - from} s, longer than the ${rules.maxLifetimeSeconds} s allowed`)
    }
    return { ok: true, userId: payload.sub }
  } catch (error) {
    if (error instanceof errors.JWTExpired) return badToken('the token has expired')
    if (error instanceof errors.JWTClaimValidationFailed) return badToken(`the token's ${error.claim} is not valid`)
    if (error instanceof errors.JOSEError) return badToken(`the token is not valid (${error.code})`)
    throw error
  }
}

function badToken(message: string): LoginResult {
  return { ok: false, code: 'bad-token', message }
}
