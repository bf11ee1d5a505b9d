#!/usr/bin/env node
// Starts Ferry for local development, in the foreground: the signaling server (127.0.0.1:8787 unless
// told otherwise). Arguments are passed on to the server, e.g. `npm start -- --port 9000`.
// Ctrl-C stops everything; when one service exits, the others are stopped and its exit code is ours.

import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand } from './netns.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SIGNALING_CLI = 'signaling/src/cli.ts'

/** What runs side by side. The demo page (Vite dev server) is added here, after the signaling server. */
const SERVICES = [
  {
    name: 'signaling',
    entry: SIGNALING_CLI,
    cmd: process.execPath,
    args: ['--import', 'tsx', SIGNALING_CLI, ...process.argv.slice(2)],
  },
]

for (const service of SERVICES) {
  if (!existsSync(join(ROOT, service.entry))) {
    console.error(`start: ${service.entry} is missing, cannot start ${service.name}`)
    process.exit(1)
  }
}

const controllers = SERVICES.map(() => new AbortController())
const exits = SERVICES.map((service, i) =>
  runCommand(service.cmd, service.args, { cwd: ROOT, signal: controllers[i].signal, killSignal: 'SIGTERM' }).then(
    (code) => ({ service, code }),
  ),
)
const first = await Promise.race(exits)
if (SERVICES.length > 1) console.error(`start: ${first.service.name} exited with code ${first.code}, stopping the rest`)
for (const controller of controllers) controller.abort()
await Promise.all(exits)
process.exitCode = first.code
