import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { newMediaId } from './media-client.js'

/**
 * Random HTTP over raw sockets at the CLI server in a child process: random methods, targets built from
 * route fragments and garbage bytes, random header names and values, random bodies, pipelined and cut
 * short. The server must never exit, and must answer /healthz at the end. A failure prints the seed;
 * FERRY_FUZZ_SEED=<seed> replays the same requests.
 */

/** How long requests are sent: long enough for thousands of them, short enough for the unit step. */
const FUZZ_DURATION_MS = 10_000
/** Connections open at once: enough to interleave requests, far below the per-address cap. */
const CONCURRENT_CONNECTIONS = 8
/** A connection the server has not closed this long after the client's last byte is dropped by the client. */
const CONNECTION_BOUND_MS = 5_000
const ADMIN_KEY = 'an-admin-key-for-the-http-fuzz-of-the-cli-server'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))

test('random request lines, headers and bodies never take the CLI server down', { timeout: 120_000 }, async (t) => {
  const seed = Number(process.env.FERRY_FUZZ_SEED ?? randomInt(2 ** 31))
  t.diagnostic(`seed ${seed} (FERRY_FUZZ_SEED=${seed} replays it)`)
  const dir = await mkdtemp(join(tmpdir(), 'ferry-http-fuzz-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const server = await startCli(t, dir)

  const deadline = Date.now() + FUZZ_DURATION_MS
  let sent = 0
  /** Each connection slot draws from its own generator, so a seed replays the same requests in each. */
  const worker = async (slot: number): Promise<void> => {
    const random = prng(seed + slot)
    while (Date.now() < deadline && server.exit === undefined) {
      sent++
      await fuzzConnection(server.port, randomRequests(random), random() < 0.8)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENT_CONNECTIONS }, (_, slot) => worker(slot)))
  t.diagnostic(`${sent} connections of random HTTP`)

  assert.equal(
    server.exit,
    undefined,
    `seed ${seed}: the server exited (${server.exit}); its output:\n${server.output()}`,
  )
  const health = await fetch(`http://127.0.0.1:${server.port}/healthz`)
  assert.equal(health.status, 200, `seed ${seed}: /healthz after the fuzz`)
  assert.deepEqual(await health.json(), { ok: true, users: 0 })
  assert.doesNotMatch(server.output(), /request failed/, `seed ${seed}: a request reached the safety net`)
  assert.ok(sent > CONCURRENT_CONNECTIONS, `seed ${seed}: requests were sent`)
})

interface CliServer {
  port: number
  /** How the child ended, once it has. */
  exit: string | undefined
  /** Everything it printed. */
  output(): string
}

/** Starts `ferry-signaling` as the CLI runs it; `t.after` stops it. */
async function startCli(t: { after(fn: () => Promise<void>): void }, dir: string): Promise<CliServer> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FERRY_')))
  const args = [
    '--port',
    '0',
    '--media-dir',
    join(dir, 'media'),
    '--state-dir',
    join(dir, 'state'),
    '--admin-key',
    ADMIN_KEY,
  ]
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--max-connections-per-address=64'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let printed = ''
  child.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    printed += chunk.toString()
  })
  const server: CliServer = { port: 0, exit: undefined, output: () => printed }
  child.once('exit', (code, signal) => {
    server.exit = `code ${code}, signal ${signal}`
  })
  t.after(() => stop(child))
  server.port = await new Promise<number>((resolve, reject) => {
    const onData = (): void => {
      const port = /Ferry signaling listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1]
      if (port === undefined) return
      child.stdout.off('data', onData)
      resolve(Number(port))
    }
    child.stdout.on('data', onData)
    child.once('exit', () => reject(new Error(`the CLI exited before listening:\n${printed}`)))
  })
  return server
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/**
 * One connection: the bytes in a few writes, then either a half-close (the server answers what it can
 * and closes) or an abrupt reset. Resolves when the connection is gone; never rejects.
 */
function fuzzConnection(port: number, bytes: Buffer, halfClose: boolean): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    const bound = setTimeout(() => socket.destroy(), CONNECTION_BOUND_MS)
    socket.on('error', () => {})
    socket.on('data', () => {})
    socket.once('close', () => {
      clearTimeout(bound)
      resolve()
    })
    socket.once('connect', () => {
      const cut = Math.floor(bytes.length / 2)
      socket.write(bytes.subarray(0, cut))
      socket.write(bytes.subarray(cut))
      if (halfClose) socket.end()
      else socket.destroy()
    })
  })
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same requests. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32
  }
}

type Random = () => number

const MEDIA_ID = newMediaId()
const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'PATCH',
  'TRACE',
  'PROPFIND',
  'CONNECT',
  'FOO',
  'get',
]
const FRAGMENTS = [
  '/',
  '/api/',
  '/api',
  'groups',
  'groups/',
  '/members',
  'messages',
  'files',
  'upload',
  'file-token',
  '/media/',
  '/media',
  MEDIA_ID,
  '/content',
  '/info',
  '/healthz',
  '/socket.io/',
  '?',
  '&',
  '=',
  'offset=0',
  'offset=-1',
  'token=',
  'EIO=4',
  'transport=polling',
  'transport=websocket',
  'sid=',
  'cmd=sendfile',
  'cmd=broadcastfile',
  'from=a',
  'to=b',
  'tos=a,b',
  'mtype=40',
  'mid=x',
  '%',
  '%ZZ',
  '%2e%2e',
  '%2F',
  '%00',
  '%FF',
  '%C3%A9',
  '..',
  '.',
  '//',
  '#',
  '*',
  'http://',
  'http://[',
  '[',
  ']',
  '\\',
  '|',
  '"',
  ' ',
  '\t',
  '\r',
  '\n',
  '\x00',
  '\x7f',
  '\xff',
]
const HEADER_NAMES = [
  'Host',
  'Content-Length',
  'Transfer-Encoding',
  'Content-Type',
  'Authorization',
  'Range',
  'Origin',
  'X-Ferry-File-Name',
  'X-Ferry-Attrs',
  'Connection',
  'Upgrade',
  'Expect',
  'Sec-WebSocket-Key',
  'Sec-WebSocket-Version',
  'Cookie',
  'content-length',
  'Bad Name',
  'X\x00',
  '',
]
const HEADER_VALUES = [
  '0',
  '1',
  '5',
  '100',
  '-1',
  '99999999999999999999',
  '9007199254740993',
  'chunked',
  'gzip',
  'chunked, gzip',
  `Bearer ${ADMIN_KEY}`,
  'Bearer x',
  'Bearer',
  'bytes=0-',
  'bytes=5-1',
  'bytes=-5',
  'bytes=a-b',
  'application/json',
  'image/png',
  'websocket',
  'Upgrade',
  'keep-alive',
  'close',
  '100-continue',
  'https://app.example',
  'null',
  '%E2%82%AC',
  '%ZZ',
  '13',
  'dGhlIHNhbXBsZSBub25jZQ==',
  '',
]
const VERSIONS = ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', '', 'http/1.1']
const BODIES = [
  '',
  '{}',
  '{"cmd":"sendmsg","from":"a","to":"b","mtype":30,"message":"hi"}',
  '{"gid":"g","members":["a","b"]}',
  '{"size":5,"fileName":"a","mime":"text/plain","sha256":"00"}',
  '5\r\nhello\r\n0\r\n\r\n',
  'ZZ\r\nx\r\n',
  '0\r\n\r\n',
  'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
]

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

function count(random: Random, max: number): number {
  return Math.floor(random() * (max + 1))
}

/** Bytes of any value, as latin1 characters. */
function garbage(random: Random, max: number): string {
  return String.fromCharCode(...Array.from({ length: count(random, max) }, () => count(random, 255)))
}

function randomTarget(random: Random): string {
  const parts = Array.from({ length: 1 + count(random, 5) }, () =>
    random() < 0.9 ? pick(random, FRAGMENTS) : garbage(random, 8),
  )
  return parts.join('')
}

function randomHeader(random: Random): string {
  const name = random() < 0.9 ? pick(random, HEADER_NAMES) : garbage(random, 12)
  const roll = random()
  const value =
    roll < 0.8 ? pick(random, HEADER_VALUES) : roll < 0.95 ? garbage(random, 40) : 'a'.repeat(count(random, 20_000))
  return `${name}: ${value}`
}

function randomRequest(random: Random): string {
  const eol = random() < 0.9 ? '\r\n' : pick(random, ['\n', '\r', '\r\r\n'])
  const method = random() < 0.95 ? pick(random, METHODS) : garbage(random, 8)
  const line = [method, randomTarget(random), pick(random, VERSIONS)].join(random() < 0.95 ? ' ' : '  ')
  const headers = Array.from({ length: count(random, 8) }, () => randomHeader(random))
  if (random() < 0.8) headers.unshift('Host: 127.0.0.1')
  const body = random() < 0.7 ? pick(random, BODIES) : garbage(random, 2048)
  const end = random() < 0.9 ? eol : ''
  return `${line}${eol}${headers.map((header) => `${header}${eol}`).join('')}${end}${body}`
}

/** One to three requests back to back (pipelined), as bytes. */
function randomRequests(random: Random): Buffer {
  const requests = Array.from({ length: 1 + count(random, 2) }, () => randomRequest(random))
  return Buffer.from(requests.join(''), 'latin1')
}
