import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** How long redis-server may take to accept connections after starting. */
const START_TIMEOUT_MS = 10_000
/** How long it may take to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 5_000
/** Gap between connection probes while it starts. */
const PROBE_INTERVAL_MS = 50
/** A port free a moment ago can be taken before redis binds it: a failed start is tried on another. */
const START_ATTEMPTS = 3
/** Pub/Sub output buffer of a node's subscriber connection: hard limit, soft limit, soft seconds. */
const PUBSUB_OUTPUT_LIMIT = 'pubsub 1gb 512mb 60'
/** Log lines kept to explain a failure. */
const LOG_LINES_KEPT = 200

/** The path of `redis-server` (Debian's `redis-server` package), or undefined when it is not installed. */
export function findRedisServer() {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin']
  for (const dir of dirs) {
    if (!dir) continue
    const path = join(dir, 'redis-server')
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  return undefined
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 and a free port, with no persistence, its files in a
 * temporary directory, and resolves once it accepts connections. `stop()` ends it and removes the
 * directory.
 */
export async function startRedis(binary = findRedisServer()) {
  if (binary === undefined) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)')
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary)
    } catch (error) {
      if (attempt >= START_ATTEMPTS) throw error
    }
  }
}

async function startOnce(binary) {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-redis-'))
  const port = await freePort()
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    // As the signaling README asks of a deployment's Redis: relayed frames in flight to one node can pass
    // the default 32 MB a Pub/Sub reader may fall behind before Redis drops it.
    ...['--client-output-buffer-limit', PUBSUB_OUTPUT_LIMIT],
  ]
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines = []
  const keep = (chunk) => {
    lines.push(...String(chunk).split('\n'))
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let stopped
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
        await exited
        clearTimeout(timer)
      }
      await rm(dir, { recursive: true, force: true })
    })()
    return stopped
  }
  const deadline = Date.now() + START_TIMEOUT_MS
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`redis-server did not start on port ${port}:\n${lines.join('\n')}`)
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS))
  }
  return { port, url: `redis://127.0.0.1:${port}`, log: () => lines.join('\n'), stop }
}

/** True when something answers PING with PONG on `port`. */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('error', () => resolve(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(String(data).startsWith('+PONG'))
    })
  })
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}
