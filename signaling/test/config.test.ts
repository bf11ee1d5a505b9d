import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_RELAY_BYTES_PER_SECOND,
  FerryError,
  MEDIA_RETENTION_MS,
} from '@ferry/protocol'
import {
  DEFAULT_HOST,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MEDIA_DIR,
  DEFAULT_PORT,
  DEFAULT_STATE_DIR,
  loadConfig,
  MIN_RELAY_BYTES_PER_SECOND,
} from '../src/index.js'

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!'
const TURN_SECRET = 'a-turn-secret-of-at-least-32-bytes!!'
const RELAY_DEFAULTS = { relay: true, relayBytesPerSecond: DEFAULT_RELAY_BYTES_PER_SECOND }
const LIMIT_DEFAULTS = { jwtMaxLifetimeSeconds: 24 * 60 * 60, maxRoomMembers: 1000 }
const MEDIA_DEFAULTS = { dir: DEFAULT_MEDIA_DIR, maxBytes: DEFAULT_MEDIA_MAX_BYTES, retentionMs: MEDIA_RETENTION_MS }
const HOUR_MS = 60 * 60 * 1000

function refused(message: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof FerryError && error.code === 'invalid-argument' && message.test(error.message)
}

test('loadConfig defaults to dev mode on 127.0.0.1:8787 with any origin, relay on, no TURN, media in .ferry-media, state in .ferry-state', () => {
  assert.deepEqual(loadConfig([], {}), {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    corsOrigin: true,
    ...RELAY_DEFAULTS,
    media: { dir: '.ferry-media', maxBytes: 64 * 1024 * 1024, retentionMs: 7 * 24 * HOUR_MS },
    stateDir: '.ferry-state',
    ...LIMIT_DEFAULTS,
    maxConnectionsPerAddress: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    help: false,
  })
})

test('loadConfig reads environment variables', () => {
  const config = loadConfig([], {
    FERRY_PORT: '9000',
    FERRY_HOST: '0.0.0.0',
    FERRY_JWT_SECRET: SECRET,
    FERRY_CORS_ORIGIN: 'https://app.example.com, http://localhost:5173',
    FERRY_RELAY: 'off',
    FERRY_RELAY_BYTES_PER_SECOND: '1000000',
    FERRY_TURN_SECRET: TURN_SECRET,
    FERRY_TURN_URLS: 'turn:turn.example.com:3478?transport=udp, turns:turn.example.com:5349',
    FERRY_MEDIA_DIR: '/var/lib/ferry/media',
    FERRY_MEDIA_MAX_BYTES: '1000000',
    FERRY_MEDIA_RETENTION_HOURS: '24',
    FERRY_JWT_ISSUER: 'https://auth.example.com',
    FERRY_JWT_AUDIENCE: 'ferry',
    FERRY_JWT_MAX_LIFETIME_SECONDS: '3600',
    FERRY_MAX_ROOM_MEMBERS: '50',
    FERRY_MAX_CONNECTIONS_PER_ADDRESS: '0',
    FERRY_STATE_DIR: '/var/lib/ferry/state',
  })
  assert.deepEqual(config, {
    port: 9000,
    host: '0.0.0.0',
    jwtSecret: SECRET,
    corsOrigin: ['https://app.example.com', 'http://localhost:5173'],
    relay: false,
    relayBytesPerSecond: 1_000_000,
    turnSecret: TURN_SECRET,
    turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
    media: { dir: '/var/lib/ferry/media', maxBytes: 1_000_000, retentionMs: 24 * HOUR_MS },
    stateDir: '/var/lib/ferry/state',
    jwtIssuer: 'https://auth.example.com',
    jwtAudience: 'ferry',
    jwtMaxLifetimeSeconds: 3600,
    maxRoomMembers: 50,
    maxConnectionsPerAddress: 0,
    help: false,
  })
  assert.equal(loadConfig([], { FERRY_MEDIA: 'off', FERRY_MEDIA_DIR: '/ignored' }).media, false)
  assert.equal(loadConfig([], { FERRY_STATE: 'memory' }).stateDir, undefined)
  assert.equal(loadConfig([], { FERRY_STATE: 'file' }).stateDir, DEFAULT_STATE_DIR)
})

test('loadConfig lets flags win over environment variables, in both flag forms', () => {
  const config = loadConfig(['--port', '0', '--host=::1', '--jwt-secret', SECRET, '--cors-origin=https://a.example'], {
    FERRY_PORT: '9000',
    FERRY_HOST: '0.0.0.0',
    FERRY_CORS_ORIGIN: '*',
  })
  assert.deepEqual(config, {
    port: 0,
    host: '::1',
    jwtSecret: SECRET,
    corsOrigin: 'https://a.example',
    ...RELAY_DEFAULTS,
    media: MEDIA_DEFAULTS,
    stateDir: DEFAULT_STATE_DIR,
    ...LIMIT_DEFAULTS,
    maxConnectionsPerAddress: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
    help: false,
  })
  assert.equal(loadConfig(['--cors-origin', '*'], {}).corsOrigin, true)
  assert.equal(loadConfig(['--state-dir=/srv/state'], { FERRY_STATE_DIR: '/ignored' }).stateDir, '/srv/state')
  assert.equal(loadConfig(['--state', 'memory'], { FERRY_STATE: 'file' }).stateDir, undefined)
  assert.equal(loadConfig(['--state=file', '--state-dir', 'here'], { FERRY_STATE: 'memory' }).stateDir, 'here')
  assert.equal(loadConfig(['--no-relay'], { FERRY_RELAY: 'on' }).relay, false)
  assert.equal(loadConfig([], { FERRY_RELAY: 'on' }).relay, true)
  const relayed = loadConfig(
    ['--relay-bytes-per-second=2000000', '--turn-secret', TURN_SECRET, '--turn-urls=turn:a:1'],
    {
      FERRY_RELAY_BYTES_PER_SECOND: '1000000',
      FERRY_TURN_SECRET: 'ignored because the flag wins',
    },
  )
  assert.equal(relayed.relayBytesPerSecond, 2_000_000)
  assert.equal(relayed.turnSecret, TURN_SECRET)
  assert.deepEqual(relayed.turnUrls, ['turn:a:1'])
  assert.equal(loadConfig(['--help'], {}).help, true)
  assert.equal(loadConfig(['--no-media'], { FERRY_MEDIA: 'on' }).media, false)
  const media = loadConfig(['--media-dir=/srv/media', '--media-max-bytes', '5', '--media-retention-hours=1'], {
    FERRY_MEDIA_DIR: '/ignored',
    FERRY_MEDIA_MAX_BYTES: '7',
    FERRY_MEDIA_RETENTION_HOURS: '2',
  }).media
  assert.deepEqual(media, { dir: '/srv/media', maxBytes: 5, retentionMs: HOUR_MS })
  const capped = loadConfig(['--max-connections-per-address=5000'], { FERRY_MAX_CONNECTIONS_PER_ADDRESS: '10' })
  assert.equal(capped.maxConnectionsPerAddress, 5000)
})

test('loadConfig rejects bad values with a message naming the setting', () => {
  assert.throws(() => loadConfig(['--port', 'eighty'], {}), refused(/--port must be a port number/))
  assert.throws(() => loadConfig(['--port=70000'], {}), refused(/--port/))
  assert.throws(() => loadConfig(['--port=-1'], {}), refused(/--port/))
  assert.throws(() => loadConfig([], { FERRY_PORT: '1.5' }), refused(/FERRY_PORT/))
  assert.throws(() => loadConfig([], { FERRY_PORT: '' }), refused(/FERRY_PORT/))
  assert.throws(() => loadConfig(['--port'], {}), refused(/--port needs a value/))
  assert.throws(() => loadConfig(['--host', 'a b'], {}), refused(/--host/))
  assert.throws(() => loadConfig([], { FERRY_JWT_SECRET: 'short' }), refused(/FERRY_JWT_SECRET.*32 bytes/))
  assert.throws(() => loadConfig([], { FERRY_JWT_SECRET: '' }), refused(/FERRY_JWT_SECRET/))
  assert.throws(() => loadConfig(['--jwt-issuer', 'me'], {}), refused(/--jwt-issuer only applies with --jwt-secret/))
  const lifetime = ['--jwt-secret', SECRET, '--jwt-max-lifetime-seconds', '0']
  assert.throws(() => loadConfig(lifetime, {}), refused(/--jwt-max-lifetime-seconds must be a whole number/))
  assert.throws(() => loadConfig(['--jwt-secret', SECRET, '--jwt-audience= x'], {}), refused(/--jwt-audience/))
  assert.throws(() => loadConfig([], { FERRY_MAX_ROOM_MEMBERS: 'many' }), refused(/FERRY_MAX_ROOM_MEMBERS/))
  assert.throws(() => loadConfig(['--cors-origin', 'https://a.example/path'], {}), refused(/--cors-origin/))
  assert.throws(() => loadConfig(['--cors-origin', 'ftp://a.example'], {}), refused(/--cors-origin/))
  assert.throws(() => loadConfig(['--verbose'], {}), refused(/unknown option --verbose/))
  assert.throws(() => loadConfig(['--state', 'redis'], {}), refused(/--state must be file or memory/))
  assert.throws(() => loadConfig([], { FERRY_STATE_DIR: ' ' }), refused(/FERRY_STATE_DIR must be a directory/))
  const memoryWithDir = ['--state', 'memory', '--state-dir', 'x']
  assert.throws(() => loadConfig(memoryWithDir, {}), refused(/--state-dir only applies with --state file/))
  assert.throws(() => loadConfig([], { FERRY_RELAY: 'maybe' }), refused(/FERRY_RELAY must be on or off/))
  assert.throws(() => loadConfig(['--no-relay=yes'], {}), refused(/--no-relay takes no value/))
  assert.throws(() => loadConfig(['--relay-bytes-per-second', 'fast'], {}), refused(/--relay-bytes-per-second/))
  const tooSlow = String(MIN_RELAY_BYTES_PER_SECOND - 1)
  assert.throws(() => loadConfig([], { FERRY_RELAY_BYTES_PER_SECOND: tooSlow }), refused(/at least/))
  assert.throws(() => loadConfig([], { FERRY_TURN_SECRET: TURN_SECRET }), refused(/needs .*FERRY_TURN_URLS/))
  assert.throws(() => loadConfig(['--turn-urls', 'turn:a:1'], {}), refused(/--turn-urls needs .*turn-secret/))
  const short = { FERRY_TURN_SECRET: 'short', FERRY_TURN_URLS: 'turn:a:1' }
  assert.throws(() => loadConfig([], short), refused(/FERRY_TURN_SECRET must be at least 32 bytes/))
  const http = { FERRY_TURN_SECRET: TURN_SECRET, FERRY_TURN_URLS: 'http://a:1' }
  assert.throws(() => loadConfig([], http), refused(/FERRY_TURN_URLS must be turn: or turns: URLs/))
  assert.throws(() => loadConfig([], { FERRY_MEDIA: 'nope' }), refused(/FERRY_MEDIA must be on or off/))
  assert.throws(() => loadConfig(['--no-media=1'], {}), refused(/--no-media takes no value/))
  assert.throws(() => loadConfig([], { FERRY_MEDIA_DIR: ' ' }), refused(/FERRY_MEDIA_DIR must be a directory path/))
  assert.throws(() => loadConfig(['--media-max-bytes', '0'], {}), refused(/--media-max-bytes must be a whole/))
  assert.throws(() => loadConfig([], { FERRY_MEDIA_MAX_BYTES: '64MB' }), refused(/FERRY_MEDIA_MAX_BYTES/))
  const hours = (value: string) => () => loadConfig([], { FERRY_MEDIA_RETENTION_HOURS: value })
  assert.throws(hours('0'), refused(/FERRY_MEDIA_RETENTION_HOURS must be a whole number of hours, at least 1/))
  assert.throws(hours('1.5'), refused(/FERRY_MEDIA_RETENTION_HOURS/))
  assert.throws(hours('9999999999999999'), refused(/FERRY_MEDIA_RETENTION_HOURS/))
  const cap = (value: string) => () => loadConfig([`--max-connections-per-address=${value}`], {})
  assert.throws(cap('-1'), refused(/--max-connections-per-address must be a whole number of connections/))
  assert.throws(cap('lots'), refused(/--max-connections-per-address/))
})

test('--redis-url and FERRY_REDIS_URL take a redis:// or rediss:// URL; the prefix needs the URL', () => {
  assert.equal(loadConfig(['--redis-url', 'redis://cache:6379'], {}).redisUrl, 'redis://cache:6379')
  assert.equal(loadConfig([], { FERRY_REDIS_URL: 'rediss://u:p@cache:6380/2' }).redisUrl, 'rediss://u:p@cache:6380/2')
  const both = loadConfig(['--redis-prefix=app2:'], { FERRY_REDIS_URL: 'redis://cache' })
  assert.deepEqual([both.redisUrl, both.redisPrefix], ['redis://cache', 'app2:'])
  assert.equal(loadConfig([], {}).redisUrl, undefined)
  assert.throws(() => loadConfig(['--redis-url', 'http://cache:6379'], {}), refused(/^--redis-url must be a redis/))
  assert.throws(() => loadConfig([], { FERRY_REDIS_URL: 'cache:6379' }), refused(/^FERRY_REDIS_URL must be/))
  assert.throws(() => loadConfig(['--redis-prefix', 'x:'], {}), refused(/only applies with --redis-url/))
  assert.throws(
    () => loadConfig(['--redis-url', 'redis://cache', '--redis-prefix', 'a b'], {}),
    refused(/^--redis-prefix must be 1 to 64/),
  )
})
