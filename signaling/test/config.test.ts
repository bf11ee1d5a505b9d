import assert from 'node:assert/strict'
import { test } from 'node:test'
import { FerryError } from '@ferry/protocol'
import { DEFAULT_HOST, DEFAULT_PORT, loadConfig } from '../src/index.js'

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!'

function refused(message: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof FerryError && error.code === 'invalid-argument' && message.test(error.message)
}

test('loadConfig defaults to dev mode on 127.0.0.1:8787 with any origin', () => {
  assert.deepEqual(loadConfig([], {}), { port: DEFAULT_PORT, host: DEFAULT_HOST, corsOrigin: true, help: false })
})

test('loadConfig reads environment variables', () => {
  const config = loadConfig([], {
    FERRY_PORT: '9000',
    FERRY_HOST: '0.0.0.0',
    FERRY_JWT_SECRET: SECRET,
    FERRY_CORS_ORIGIN: 'https://app.example.com, http://localhost:5173',
  })
  assert.deepEqual(config, {
    port: 9000,
    host: '0.0.0.0',
    jwtSecret: SECRET,
    corsOrigin: ['https://app.example.com', 'http://localhost:5173'],
    help: false,
  })
})

test('loadConfig lets flags win over environment variables, in both flag forms', () => {
  const config = loadConfig(['--port', '0', '--host=::1', '--jwt-secret', SECRET, '--cors-origin=https://a.example'], {
    FERRY_PORT: '9000',
    FERRY_HOST: '0.0.0.0',
    FERRY_CORS_ORIGIN: '*',
  })
  assert.deepEqual(config, { port: 0, host: '::1', jwtSecret: SECRET, corsOrigin: 'https://a.example', help: false })
  assert.equal(loadConfig(['--cors-origin', '*'], {}).corsOrigin, true)
  assert.equal(loadConfig(['--help'], {}).help, true)
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
  assert.throws(() => loadConfig(['--cors-origin', 'https://a.example/path'], {}), refused(/--cors-origin/))
  assert.throws(() => loadConfig(['--cors-origin', 'ftp://a.example'], {}), refused(/--cors-origin/))
  assert.throws(() => loadConfig(['--verbose'], {}), refused(/unknown option --verbose/))
})
