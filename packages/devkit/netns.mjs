#!/usr/bin/env node
// Runs a command inside a fresh network namespace that has only loopback up.
//
//   node packages/devkit/netns.mjs <command> [args...]
//
// WebRTC gathers host candidates from the machine's own interface addresses, so a test or benchmark
// run on the host would send its traffic through a real interface. Inside a namespace with only `lo`,
// the only address there is 127.0.0.1, and every peer connection stays on loopback.
//
// FERRY_NETNS tells the command where it runs: '1' inside a namespace, '0' on the host (fallback).
// Already inside (FERRY_NETNS=1), the command just runs. Needs root, `unshare` and `ip`; without
// them the command runs on the host after a warning.

import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, realpathSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP']
const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }
const FALLBACK_WARNING =
  'no network namespace could be made: running on the host; WebRTC will use only loopback if available'

/**
 * Spawns a command with inherited stdio, forwards SIGINT/SIGTERM/SIGHUP to it while it runs, and
 * resolves with its exit code (128 + signal number when a signal ended it, 127 when it could not start).
 */
export function runCommand(cmd, args = [], opts = {}) {
  return new Promise((resolve) => {
    let child
    try {
      child = spawn(cmd, args, { stdio: 'inherit', ...opts })
    } catch (error) {
      console.error(`cannot run ${cmd}: ${error.message}`)
      resolve(127)
      return
    }
    const forward = (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    }
    for (const signal of FORWARDED_SIGNALS) process.on(signal, forward)
    const done = (code) => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward)
      resolve(code)
    }
    child.on('error', (error) => {
      // An aborted `opts.signal` kills the child: its exit follows and reports the outcome.
      if (error.name === 'AbortError') return
      console.error(error.code === 'ENOENT' ? `command not found: ${cmd}` : `cannot run ${cmd}: ${error.message}`)
      done(127)
    })
    child.once('exit', (code, signal) => {
      done(code ?? 128 + (SIGNAL_NUMBERS[signal] ?? 1))
    })
  })
}

/** The absolute path of an executable named `name`, looked up on PATH and in the sbin directories. */
function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']
  for (const dir of dirs) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

function shellQuote(value) {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

let namespaceSupport

/**
 * Whether a network namespace can be made here: root, `unshare` and `ip` present, and a trial
 * namespace can bring its loopback up (a container may refuse `unshare` even to root).
 */
function probeNamespace() {
  if (namespaceSupport !== undefined) return namespaceSupport
  namespaceSupport = { ok: false }
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return namespaceSupport
  const unshare = findExecutable('unshare')
  const ip = findExecutable('ip')
  if (!unshare || !ip) return namespaceSupport
  const trial = spawnSync(unshare, ['--net', '--', ip, 'link', 'set', 'lo', 'up'], { stdio: 'ignore' })
  if (trial.status === 0) namespaceSupport = { ok: true, unshare, ip }
  return namespaceSupport
}

/**
 * Runs `cmd args` in a fresh network namespace with only loopback up, or directly when already inside
 * one or when none can be made. Resolves with the command's exit code.
 */
export function runInNetns(cmd, args = [], opts = {}) {
  const env = opts.env ?? process.env
  if (env.FERRY_NETNS === '1') return runCommand(cmd, args, { ...opts, env })
  const support = probeNamespace()
  if (!support.ok) {
    console.warn(`warning: ${FALLBACK_WARNING}`)
    return runCommand(cmd, args, { ...opts, env: { ...env, FERRY_NETNS: '0' } })
  }
  const script = `${shellQuote(support.ip)} link set lo up && exec "$@"`
  return runCommand(support.unshare, ['--net', '--', 'sh', '-c', script, 'sh', cmd, ...args], {
    ...opts,
    env: { ...env, FERRY_NETNS: '1' },
  })
}

function isMain() {
  if (!process.argv[1]) return false
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isMain()) {
  const [cmd, ...args] = process.argv.slice(2)
  if (!cmd) {
    console.error('usage: node packages/devkit/netns.mjs <command> [args...]')
    process.exit(2)
  }
  process.exitCode = await runInNetns(cmd, args)
}
