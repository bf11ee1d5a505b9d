#!/usr/bin/env node
// Starts Ferry for local development, in the foreground: the signaling server (127.0.0.1:8787 unless
// told otherwise) and the demo page's Vite dev server (127.0.0.1:5173, FERRY_DEMO_PORT to change it),
// which forwards /socket.io to the signaling server. Arguments are passed on to the signaling server,
// e.g. `npm start -- --port 9000`. Ctrl-C stops everything; when one service exits, the others are
// stopped and its exit code is ours.

import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand } from './netns.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SIGNALING_CLI = 'signaling/src/cli.ts'
const VITE_CLI = 'demo/node_modules/vite/bin/vite.js'
const DEFAULT_SIGNALING_PORT = '8787'
const DEFAULT_DEMO_PORT = '5173'
/** How long both servers get to answer before start gives up waiting (they keep running). */
const READY_TIMEOUT_MS = 60_000
const READY_POLL_MS = 250

const serverArgs = process.argv.slice(2)
const signalingUrl = `http://${reachableHost(setting('host', 'FERRY_HOST') ?? '127.0.0.1')}:${setting('port', 'FERRY_PORT') ?? DEFAULT_SIGNALING_PORT}`
const demoPort = process.env.FERRY_DEMO_PORT || DEFAULT_DEMO_PORT
const demoUrl = `http://127.0.0.1:${demoPort}`

if (signalingUrl.endsWith(':0') || demoPort === '0') {
  console.error('start: the signaling server and the demo need fixed ports here (not 0)')
  process.exit(2)
}

/** What runs side by side. */
const SERVICES = [
  {
    name: 'signaling',
    entry: SIGNALING_CLI,
    cmd: process.execPath,
    args: ['--import', 'tsx', SIGNALING_CLI, ...serverArgs],
    cwd: ROOT,
    env: process.env,
  },
  {
    name: 'demo',
    entry: VITE_CLI,
    cmd: process.execPath,
    args: [join(ROOT, VITE_CLI), '--clearScreen', 'false'],
    cwd: join(ROOT, 'demo'),
    env: { ...process.env, FERRY_SIGNALING_URL: signalingUrl, FERRY_DEMO_PORT: demoPort, FERRY_DEMO_LOG_LEVEL: 'warn' },
  },
]

/** A signaling server setting as the server reads it: `--name value`, `--name=value`, then the environment. */
function setting(name, envName) {
  const flag = `--${name}`
  for (let i = 0; i < serverArgs.length; i++) {
    if (serverArgs[i] === flag && serverArgs[i + 1] !== undefined) return serverArgs[i + 1]
    if (serverArgs[i].startsWith(`${flag}=`)) return serverArgs[i].slice(flag.length + 1)
  }
  return process.env[envName] || undefined
}

/** Where this machine reaches a server listening on `host`: loopback for the any-address. */
function reachableHost(host) {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}

/** Resolves 'ready' once both servers answer, 'stopped' if `stopped` settles first, else 'timeout'. */
async function waitUntilReady(stopped) {
  let over = false
  void stopped.then(() => {
    over = true
  })
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!over && Date.now() < deadline) {
    if ((await answers(`${signalingUrl}/healthz`)) && (await answers(demoUrl))) return over ? 'stopped' : 'ready'
    await new Promise((done) => setTimeout(done, READY_POLL_MS))
  }
  return over ? 'stopped' : 'timeout'
}

for (const service of SERVICES) {
  if (!existsSync(join(ROOT, service.entry))) {
    console.error(
      `start: ${service.entry} is missing, cannot start ${service.name} (run npm start, which installs first)`,
    )
    process.exit(1)
  }
}

const controllers = SERVICES.map(() => new AbortController())
const exits = SERVICES.map((service, i) =>
  runCommand(service.cmd, service.args, {
    cwd: service.cwd,
    env: service.env,
    signal: controllers[i].signal,
    killSignal: 'SIGTERM',
  }).then((code) => ({ service, code })),
)
const firstExit = Promise.race(exits)
waitUntilReady(firstExit).then((outcome) => {
  if (outcome === 'ready') console.log(`\nFerry demo: ${demoUrl} — open it in two tabs\n`)
  if (outcome === 'timeout') console.warn(`start: the servers did not answer within ${READY_TIMEOUT_MS / 1000} s`)
})
const first = await firstExit
if (SERVICES.length > 1) console.error(`start: ${first.service.name} exited with code ${first.code}, stopping the rest`)
for (const controller of controllers) controller.abort()
await Promise.all(exits)
process.exitCode = first.code
