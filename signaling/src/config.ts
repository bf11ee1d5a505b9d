import {
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_RELAY_BYTES_PER_SECOND,
  FerryError,
  MEDIA_RETENTION_MS,
} from '@ferry/protocol'
import { checkAdminKey } from './api/admin-key.js'
import {
  DEFAULT_HOST,
  DEFAULT_JWT_MAX_LIFETIME_SECONDS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MEDIA_DIR,
  DEFAULT_PORT,
  DEFAULT_STATE_DIR,
  MIN_ADMIN_KEY_CHARS,
} from './constants.js'
import { jwtKey } from './jwt-secret.js'
import { DEFAULT_LIMITS } from './limits/limit-settings.js'
import {
  checkMaxConnectionsPerAddress,
  checkMediaDir,
  checkMediaMaxBytes,
  checkRedisPrefix,
  checkRelayBytesPerSecond,
  checkStateDir,
  checkTurn,
} from './settings-checks.js'
import type { CorsOrigin } from './types.js'

/** Everything the CLI needs to start a server. */
export interface SignalingConfig {
  port: number
  host: string
  /** Absent: dev mode, any user id is accepted. */
  jwtSecret?: string
  /** Token mode: the `iss` tokens must have. */
  jwtIssuer?: string
  /** Token mode: the `aud` tokens must have. */
  jwtAudience?: string
  /** Token mode: the longest a token may be valid. */
  jwtMaxLifetimeSeconds: number
  /** Members one room may have. */
  maxRoomMembers: number
  corsOrigin: CorsOrigin
  /** Whether the server relays frames between users with no direct path. */
  relay: boolean
  relayBytesPerSecond: number
  /** With `turnUrls`: logins get TURN credentials for them. */
  turnSecret?: string
  turnUrls?: string[]
  /** The media store, or `false` for none. */
  media: MediaConfig | false
  /**
   * The directory of the state database (groups, kept messages, dedupe records, file tokens); absent:
   * that state is kept in memory and lost when the process ends.
   */
  stateDir?: string
  /** Absent: the server API (`/api/`) is off. */
  adminKey?: string
  /** Open TCP connections one address may hold; 0 for no cap. */
  maxConnectionsPerAddress: number
  /** Absent: one process. Set: state in this Redis, shared with every node given the same URL. */
  redisUrl?: string
  /** With `redisUrl`: the prefix of every key and channel. */
  redisPrefix?: string
  /** `--help` was given: print usage instead of starting. */
  help: boolean
}

/** The media retention is set in hours: media live for days, so finer units only invite mistakes. */
const MS_PER_HOUR = 60 * 60 * 1000

/** Where and how the media store keeps media. */
export interface MediaConfig {
  /** Relative paths are taken from the working directory. */
  dir: string
  maxBytes: number
  retentionMs: number
}

/** One setting: its flag, its environment variable, and what it means (for `--help`). */
const SETTINGS = {
  port: { flag: '--port', env: 'FERRY_PORT', about: `port to listen on, 0 for any free one (default ${DEFAULT_PORT})` },
  host: { flag: '--host', env: 'FERRY_HOST', about: `interface to listen on (default ${DEFAULT_HOST})` },
  jwtSecret: {
    flag: '--jwt-secret',
    env: 'FERRY_JWT_SECRET',
    about: 'HS256 secret, at least 32 bytes; when set, logins need a JWT whose sub is the user id',
  },
  jwtIssuer: {
    flag: '--jwt-issuer',
    env: 'FERRY_JWT_ISSUER',
    about: 'token mode: the iss every token must have (default: any)',
  },
  jwtAudience: {
    flag: '--jwt-audience',
    env: 'FERRY_JWT_AUDIENCE',
    about: 'token mode: the aud every token must have (default: any)',
  },
  jwtMaxLifetimeSeconds: {
    flag: '--jwt-max-lifetime-seconds',
    env: 'FERRY_JWT_MAX_LIFETIME_SECONDS',
    about: `token mode: longest validity of a token, exp minus iat (default ${DEFAULT_JWT_MAX_LIFETIME_SECONDS})`,
  },
  maxRoomMembers: {
    flag: '--max-room-members',
    env: 'FERRY_MAX_ROOM_MEMBERS',
    about: `members one room may have (default ${DEFAULT_LIMITS.maxRoomMembers})`,
  },
  corsOrigin: {
    flag: '--cors-origin',
    env: 'FERRY_CORS_ORIGIN',
    about: 'allowed browser origins: * for any (default), or a comma-separated list',
  },
  relay: {
    flag: '--no-relay',
    env: 'FERRY_RELAY',
    about: 'do not relay frames between users (environment: on or off; default on)',
    switch: 'off',
  },
  relayBytesPerSecond: {
    flag: '--relay-bytes-per-second',
    env: 'FERRY_RELAY_BYTES_PER_SECOND',
    about: `each user's relay rate, bursts of twice it (default ${DEFAULT_RELAY_BYTES_PER_SECOND})`,
  },
  turnSecret: {
    flag: '--turn-secret',
    env: 'FERRY_TURN_SECRET',
    about: "TURN server's static-auth-secret, at least 32 bytes; logins then get TURN credentials",
  },
  turnUrls: {
    flag: '--turn-urls',
    env: 'FERRY_TURN_URLS',
    about: 'comma-separated TURN URLs, e.g. turn:turn.example.com:3478?transport=udp',
  },
  media: {
    flag: '--no-media',
    env: 'FERRY_MEDIA',
    about: 'keep no media: no store, no /media/ routes (environment: on or off; default on)',
    switch: 'off',
  },
  mediaDir: {
    flag: '--media-dir',
    env: 'FERRY_MEDIA_DIR',
    about: `directory of the media store (default ${DEFAULT_MEDIA_DIR} in the working directory)`,
  },
  mediaMaxBytes: {
    flag: '--media-max-bytes',
    env: 'FERRY_MEDIA_MAX_BYTES',
    about: `largest media the store takes, in bytes (default ${DEFAULT_MEDIA_MAX_BYTES})`,
  },
  mediaRetentionHours: {
    flag: '--media-retention-hours',
    env: 'FERRY_MEDIA_RETENTION_HOURS',
    about: `hours a media is kept after its upload (default ${MEDIA_RETENTION_MS / MS_PER_HOUR})`,
  },
  state: {
    flag: '--state',
    env: 'FERRY_STATE',
    about:
      'file: groups, kept messages, dedupe records and file tokens survive restarts (default); memory: they do not',
  },
  stateDir: {
    flag: '--state-dir',
    env: 'FERRY_STATE_DIR',
    about: `directory of the state database (default ${DEFAULT_STATE_DIR} in the working directory)`,
  },
  adminKey: {
    flag: '--admin-key',
    env: 'FERRY_ADMIN_KEY',
    about: `key of the server API under /api/, at least ${MIN_ADMIN_KEY_CHARS} characters (default: API off)`,
  },
  maxConnectionsPerAddress: {
    flag: '--max-connections-per-address',
    env: 'FERRY_MAX_CONNECTIONS_PER_ADDRESS',
    about: `open connections one IP address (IPv6: /64) may hold, 0 for no cap (default ${DEFAULT_MAX_CONNECTIONS_PER_ADDRESS})`,
  },
  redisUrl: {
    flag: '--redis-url',
    env: 'FERRY_REDIS_URL',
    about:
      'Redis 7 URL (redis:// or rediss://): nodes sharing it share every user, group and kept message (default: none, one process)',
  },
  redisPrefix: {
    flag: '--redis-prefix',
    env: 'FERRY_REDIS_PREFIX',
    about: 'with --redis-url: prefix of every key and channel, so deployments share one Redis (default ferry:)',
  },
} as const satisfies Record<string, Setting>

/** `switch`: the flag takes no value and stands for this one. */
interface Setting {
  flag: string
  env: string
  about: string
  switch?: string
}

type SettingName = keyof typeof SETTINGS

const FLAG_COLUMN = 36
const ENV_COLUMN = 30

export const USAGE = [
  'Usage: ferry-signaling [options]',
  '',
  ...Object.values(SETTINGS).map(
    (s: Setting) =>
      `  ${s.flag}${s.switch === undefined ? ' <value>' : ''}`.padEnd(FLAG_COLUMN) +
      `${s.env.padEnd(ENV_COLUMN)} ${s.about}`,
  ),
  '  --help'.padEnd(FLAG_COLUMN) + 'show this help',
  '',
  'Flags win over environment variables.',
].join('\n')

/**
 * Reads the server's settings from command-line flags (`--port 9000` or `--port=9000`) and
 * environment variables; flags win. Pure: pass `process.argv.slice(2)` and `process.env`.
 * Throws a `FerryError` with code `invalid-argument` and a message naming the bad setting.
 */
export function loadConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SignalingConfig {
  const flags = parseFlags(argv)
  const raw = (name: SettingName): { value: string; source: string } | undefined => {
    const { flag, env: variable } = SETTINGS[name]
    const fromFlag = flags.values.get(flag)
    if (fromFlag !== undefined) return { value: fromFlag, source: flag }
    const fromEnv = env[variable]
    return fromEnv === undefined ? undefined : { value: fromEnv, source: variable }
  }

  const port = raw('port')
  const host = raw('host')
  const secret = raw('jwtSecret')
  const issuer = raw('jwtIssuer')
  const audience = raw('jwtAudience')
  const lifetime = raw('jwtMaxLifetimeSeconds')
  const roomMembers = raw('maxRoomMembers')
  const cors = raw('corsOrigin')
  const relay = raw('relay')
  const rate = raw('relayBytesPerSecond')
  const turnSecret = raw('turnSecret')
  const turnUrls = raw('turnUrls')
  const media = raw('media')
  const mediaDir = raw('mediaDir')
  const mediaMaxBytes = raw('mediaMaxBytes')
  const mediaRetention = raw('mediaRetentionHours')
  const state = raw('state')
  const stateDir = raw('stateDir')
  const adminKey = raw('adminKey')
  const maxConnections = raw('maxConnectionsPerAddress')
  const redisUrl = raw('redisUrl')
  const redisPrefix = raw('redisPrefix')

  const config: SignalingConfig = {
    port: port ? parsePort(port.value, port.source) : DEFAULT_PORT,
    host: host ? parseHost(host.value, host.source) : DEFAULT_HOST,
    corsOrigin: cors ? parseCorsOrigin(cors.value, cors.source) : true,
    relay: relay ? parseOnOff(relay.value, relay.source) : true,
    relayBytesPerSecond: rate
      ? checkRelayBytesPerSecond(parseWhole(rate.value), rate.source)
      : DEFAULT_RELAY_BYTES_PER_SECOND,
    media: false,
    jwtMaxLifetimeSeconds: lifetime
      ? parseAtLeastOne(lifetime.value, lifetime.source, 'seconds')
      : DEFAULT_JWT_MAX_LIFETIME_SECONDS,
    maxRoomMembers: roomMembers
      ? parseAtLeastOne(roomMembers.value, roomMembers.source, 'members')
      : DEFAULT_LIMITS.maxRoomMembers,
    maxConnectionsPerAddress: maxConnections
      ? checkMaxConnectionsPerAddress(parseWhole(maxConnections.value), maxConnections.source)
      : DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    help: flags.help,
  }
  const mediaConfig: MediaConfig = {
    dir: mediaDir ? checkMediaDir(mediaDir.value, mediaDir.source) : DEFAULT_MEDIA_DIR,
    maxBytes: mediaMaxBytes
      ? checkMediaMaxBytes(parseWhole(mediaMaxBytes.value), mediaMaxBytes.source)
      : DEFAULT_MEDIA_MAX_BYTES,
    retentionMs: mediaRetention ? parseHours(mediaRetention.value, mediaRetention.source) : MEDIA_RETENTION_MS,
  }
  if (media ? parseOnOff(media.value, media.source) : true) config.media = mediaConfig
  if (state === undefined || parseStateKind(state.value, state.source) === 'file') {
    config.stateDir = stateDir ? checkStateDir(stateDir.value, stateDir.source) : DEFAULT_STATE_DIR
  } else if (stateDir) {
    throw bad(`${stateDir.source} only applies with ${SETTINGS.state.flag} file`)
  }
  if (secret) config.jwtSecret = parseSecret(secret.value, secret.source)
  if (issuer) config.jwtIssuer = parseClaim(issuer.value, issuer.source)
  if (audience) config.jwtAudience = parseClaim(audience.value, audience.source)
  if ((issuer || audience || lifetime) && !secret) {
    throw bad(`${(issuer ?? audience ?? lifetime)?.source} only applies with ${SETTINGS.jwtSecret.flag}`)
  }
  if (adminKey) config.adminKey = checkAdminKey(adminKey.value, adminKey.source)
  if (redisUrl) config.redisUrl = parseRedisUrl(redisUrl.value, redisUrl.source)
  if (redisPrefix) {
    if (!redisUrl) throw bad(`${redisPrefix.source} only applies with ${SETTINGS.redisUrl.flag}`)
    config.redisPrefix = checkRedisPrefix(redisPrefix.value, redisPrefix.source)
  }
  const turn = checkTurn(turnSecret?.value, turnUrls ? splitList(turnUrls.value) : undefined, {
    secret: turnSecret?.source ?? `${SETTINGS.turnSecret.flag} (${SETTINGS.turnSecret.env})`,
    urls: turnUrls?.source ?? `${SETTINGS.turnUrls.flag} (${SETTINGS.turnUrls.env})`,
  })
  if (turn) {
    config.turnSecret = turn.secret
    config.turnUrls = turn.urls
  }
  return config
}

function parseFlags(argv: readonly string[]): { values: Map<string, string>; help: boolean } {
  const settings: readonly Setting[] = Object.values(SETTINGS)
  const known = new Set(settings.map((s) => s.flag))
  const switches = new Map(settings.flatMap((s) => (s.switch === undefined ? [] : [[s.flag, s.switch] as const])))
  const values = new Map<string, string>()
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--help' || arg === '-h') {
      help = true
      continue
    }
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    if (!known.has(flag)) throw bad(`unknown option ${arg} (see --help)`)
    const stands = switches.get(flag)
    if (stands !== undefined) {
      if (eq !== -1) throw bad(`${flag} takes no value`)
      values.set(flag, stands)
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined) throw bad(`${flag} needs a value`)
    values.set(flag, value)
  }
  return { values, help }
}

function parsePort(value: string, source: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  if (!(port >= 0 && port <= 65535)) throw bad(`${source} must be a port number from 0 to 65535, got "${value}"`)
  return port
}

function parseHost(value: string, source: string): string {
  if (!/^[A-Za-z0-9.:_%-]+$/.test(value)) throw bad(`${source} must be a host name or IP address, got "${value}"`)
  return value
}

function parseSecret(value: string, source: string): string {
  try {
    jwtKey(value)
  } catch (error) {
    throw bad(`${source}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return value
}

function parseOnOff(value: string, source: string): boolean {
  const word = value.trim().toLowerCase()
  if (word === 'on' || word === 'true' || word === '1') return true
  if (word === 'off' || word === 'false' || word === '0') return false
  throw bad(`${source} must be on or off, got "${value}"`)
}

function parseStateKind(value: string, source: string): 'file' | 'memory' {
  const word = value.trim().toLowerCase()
  if (word === 'file' || word === 'memory') return word
  throw bad(`${source} must be file or memory, got "${value}"`)
}

/** A whole number, or NaN (which the range check after it refuses). */
function parseWhole(value: string): number {
  return /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
}

/** A whole number, at least one, of `unit`. */
function parseAtLeastOne(value: string, source: string, unit: string): number {
  const n = parseWhole(value)
  if (!Number.isSafeInteger(n) || n < 1) throw bad(`${source} must be a whole number of ${unit}, at least 1`)
  return n
}

/** A token claim to require: printable, no surrounding space. */
function parseClaim(value: string, source: string): string {
  if (!/^\S(?:.{0,254}\S)?$/.test(value)) throw bad(`${source} must be 1 to 256 characters with no surrounding space`)
  return value
}

/** Whole hours, at least one, as ms. */
function parseHours(value: string, source: string): number {
  const ms = parseWhole(value) * MS_PER_HOUR
  if (!Number.isSafeInteger(ms) || ms < MS_PER_HOUR) throw bad(`${source} must be a whole number of hours, at least 1`)
  return ms
}

function parseRedisUrl(value: string, source: string): string {
  const trimmed = value.trim()
  const url = URL.canParse(trimmed) ? new URL(trimmed) : undefined
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw bad(`${source} must be a redis:// or rediss:// URL with a host`)
  }
  return trimmed
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function parseCorsOrigin(value: string, source: string): CorsOrigin {
  const trimmed = value.trim()
  if (trimmed === '*' || trimmed === 'true') return true
  const origins = trimmed.split(',').map((o) => o.trim())
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw bad(
        `${source} must be * or a comma-separated list of origins like https://app.example.com, got "${origin}"`,
      )
    }
  }
  return origins.length === 1 ? (origins[0] ?? '') : origins
}

/** An origin is a scheme, host and optional port, nothing more: what browsers send in `Origin`. */
function isOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
}

function bad(message: string): FerryError {
  return new FerryError('invalid-argument', message)
}
