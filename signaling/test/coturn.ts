import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { accessSync, constants } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** coturn's server binary, from Debian's `coturn` package. */
const TURNSERVER = 'turnserver'

/** How long coturn may take to answer its first STUN request after starting. */
const START_TIMEOUT_MS = 10_000

/** How long coturn may take to exit after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 5_000

/** Gap between STUN probes while coturn starts. */
const PROBE_INTERVAL_MS = 100

/** Log lines kept to explain a failure. */
const LOG_LINES_KEPT = 200

/** STUN (RFC 5389): a Binding request, its success response, and the magic cookie in every header. */
const STUN_BINDING_REQUEST = 0x0001
const STUN_BINDING_SUCCESS = 0x0101
const STUN_MAGIC_COOKIE = 0x2112a442

export interface Coturn {
  port: number
  /** What coturn logged so far (its last lines). */
  log(): string
  stop(): Promise<void>
}

/** The path of `turnserver`, or undefined when coturn is not installed. */
export function findTurnserver(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin']
  for (const dir of dirs) {
    if (!dir) continue
    const path = join(dir, TURNSERVER)
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  return undefined
}

/**
 * Tries at starting coturn. A port free a moment ago can be taken before coturn binds it (other tests
 * open connections all the time), so a start that fails is tried again on another port.
 */
const START_ATTEMPTS = 3

/**
 * Starts coturn on 127.0.0.1 with the TURN REST scheme (`use-auth-secret`) and relays on loopback,
 * and resolves once it answers STUN. Its pid file and database go to a temporary directory.
 */
export async function startCoturn(binary: string, secret: string): Promise<Coturn> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, secret)
    } catch (error) {
      if (attempt >= START_ATTEMPTS) throw error
    }
  }
}

async function startOnce(binary: string, secret: string): Promise<Coturn> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-coturn-'))
  const port = await freePort()
  const args = [
    '-n',
    '--listening-ip=127.0.0.1',
    `--listening-port=${port}`,
    '--relay-ip=127.0.0.1',
    // Both peers and the relay are on loopback; coturn refuses loopback peers unless told otherwise.
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=ferry',
    '--fingerprint',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
  ]
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const coturn: Coturn = {
    port,
    log: () => lines.join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(killer)
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    await waitForStun(port, child)
  } catch (error) {
    await coturn.stop()
    throw new Error(`${(error as Error).message}\n${coturn.log()}`)
  }
  return coturn
}

async function waitForStun(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('coturn exited while starting')
    if (await stunAnswers(port, PROBE_INTERVAL_MS)) return
  }
  throw new Error(`coturn did not answer STUN on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`)
}

/** Sends one STUN Binding request; true when a success response comes back within `timeoutMs`. */
function stunAnswers(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4')
    const request = Buffer.alloc(20)
    request.writeUInt16BE(STUN_BINDING_REQUEST, 0)
    request.writeUInt16BE(0, 2)
    request.writeUInt32BE(STUN_MAGIC_COOKIE, 4)
    randomBytes(12).copy(request, 8)
    const done = (answered: boolean): void => {
      clearTimeout(timer)
      socket.close()
      resolve(answered)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    socket.on('error', () => done(false))
    socket.on('message', (message) => {
      const answered =
        message.length >= 20 &&
        message.readUInt16BE(0) === STUN_BINDING_SUCCESS &&
        message.subarray(8, 20).equals(request.subarray(8, 20))
      if (answered) done(true)
    })
    socket.send(request, port, '127.0.0.1')
  })
}

/**
 * Ports coturn listens on are drawn from here: below Linux's ephemeral range (32768 and up), so no
 * outgoing connection of another test takes one between the check and coturn's bind.
 */
const PORT_RANGE = { from: 20_000, to: 32_000 }

/** A port free on 127.0.0.1 for both UDP and TCP a moment ago (coturn listens on both). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from))
    if ((await canBind(port, 'udp')) && (await canBind(port, 'tcp'))) return port
  }
}

function canBind(port: number, protocol: 'udp' | 'tcp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4')
      socket.once('error', () => resolve(false))
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)))
      return
    }
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
