import { FerryError } from '@ferry/protocol'
import { DEFAULT_HOST, DEFAULT_PORT } from './constants.js'
import { jwtKey } from './jwt-secret.js'
import type { CorsOrigin } from './types.js'

/** Everything the CLI needs to start a server. */
export interface SignalingConfig {
  port: number
  host: string
  /** Absent: dev mode, any user id is accepted. */
  jwtSecret?: string
  corsOrigin: CorsOrigin
  /** `--help` was given: print usage instead of starting. */
  help: boolean
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
  corsOrigin: {
    flag: '--cors-origin',
    env: 'FERRY_CORS_ORIGIN',
    about: 'allowed browser origins: * for any (default), or a comma-separated list',
  },
} as const

type SettingName = keyof typeof SETTINGS

export const USAGE = [
  'Usage: ferry-signaling [options]',
  '',
  ...Object.values(SETTINGS).map((s) => `  ${s.flag} <value>`.padEnd(26) + `${s.env.padEnd(20)} ${s.about}`),
  '  --help'.padEnd(26) + 'show this help',
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
  const cors = raw('corsOrigin')

  const config: SignalingConfig = {
    port: port ? parsePort(port.value, port.source) : DEFAULT_PORT,
    host: host ? parseHost(host.value, host.source) : DEFAULT_HOST,
    corsOrigin: cors ? parseCorsOrigin(cors.value, cors.source) : true,
    help: flags.help,
  }
  if (secret) config.jwtSecret = parseSecret(secret.value, secret.source)
  return config
}

function parseFlags(argv: readonly string[]): { values: Map<string, string>; help: boolean } {
  const known = new Set<string>(Object.values(SETTINGS).map((s) => s.flag))
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
