#!/usr/bin/env node
// Makes sure the workspace's dependencies are installed, so `npm test` and `npm start` work straight
// from a fresh clone with only node and npm. Runs before any dependency exists: Node built-ins only.
//
// Installs when node_modules/.modules.yaml (pnpm's record of the last install) is missing, or when
// pnpm-lock.yaml or any workspace package.json is newer than it. Otherwise it prints nothing.
// Uses `pnpm` from PATH when it is the version pinned in the root package.json's `packageManager`,
// else `npx --yes pnpm@<pinned>`. With CI set, the lockfile must already be up to date.

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const MODULES_STATE = join(ROOT, 'node_modules', '.modules.yaml')
const IS_WINDOWS = process.platform === 'win32'

function fail(message) {
  console.error(`bootstrap: ${message}`)
  process.exit(1)
}

function pinnedPnpmVersion() {
  let manifest
  try {
    manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  } catch (error) {
    fail(`cannot read the root package.json: ${error.message}`)
  }
  const match = /^pnpm@(\d+\.\d+\.\d+[^+]*)/.exec(manifest.packageManager ?? '')
  if (!match)
    fail(`the root package.json's packageManager must pin pnpm (pnpm@x.y.z), not "${manifest.packageManager}"`)
  return match[1]
}

/** The `packages:` globs of pnpm-workspace.yaml. Only the simple forms this repo uses: `dir` and `dir/*`. */
function workspacePatterns() {
  const file = join(ROOT, 'pnpm-workspace.yaml')
  if (!existsSync(file)) return []
  const patterns = []
  let inPackages = false
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages\s*:/.test(line)
    else if (inPackages) {
      const item = /^\s+-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line)
      if (item?.[1]) patterns.push(item[1])
    }
  }
  return patterns
}

function workspaceManifests() {
  const manifests = [join(ROOT, 'package.json')]
  for (const pattern of workspacePatterns()) {
    if (pattern.startsWith('!')) continue
    if (pattern.endsWith('/*')) {
      const parent = join(ROOT, pattern.slice(0, -2))
      if (!existsSync(parent)) continue
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) manifests.push(join(parent, entry.name, 'package.json'))
      }
    } else {
      manifests.push(join(ROOT, pattern, 'package.json'))
    }
  }
  return manifests.filter((file) => existsSync(file))
}

/** Why an install is needed, or undefined when node_modules is up to date. */
function staleReason() {
  if (!existsSync(MODULES_STATE)) return 'node_modules is not installed'
  const installedAt = statSync(MODULES_STATE).mtimeMs
  const inputs = [join(ROOT, 'pnpm-lock.yaml'), ...workspaceManifests()]
  for (const file of inputs) {
    if (existsSync(file) && statSync(file).mtimeMs > installedAt) {
      return `${file.slice(ROOT.length + 1)} changed since the last install`
    }
  }
  return undefined
}

function run(cmd, args) {
  return spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', shell: IS_WINDOWS })
}

function pnpmOnPath() {
  const probe = spawnSync('pnpm', ['--version'], { cwd: ROOT, encoding: 'utf8', shell: IS_WINDOWS })
  return probe.status === 0 ? probe.stdout.trim() : undefined
}

const reason = staleReason()
if (reason) {
  const version = pinnedPnpmVersion()
  const installArgs = ['install', '--config.confirmModulesPurge=false']
  if (process.env.CI) installArgs.push('--frozen-lockfile')
  const [cmd, args] =
    pnpmOnPath() === version ? ['pnpm', installArgs] : ['npx', ['--yes', `pnpm@${version}`, ...installArgs]]
  console.log(`bootstrap: ${reason}; running ${cmd} ${args.join(' ')}`)
  const result = run(cmd, args)
  if (result.error) fail(`cannot run ${cmd}: ${result.error.message}`)
  if (result.status !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.status}`
    console.error(`bootstrap: dependency install failed: ${cmd} ${how}`)
    process.exit(result.status ?? 1)
  }
  if (!existsSync(MODULES_STATE)) fail(`${cmd} install succeeded but left no node_modules/.modules.yaml`)
  // pnpm leaves .modules.yaml alone when nothing changed; mark the install as current so the next run is quiet.
  const now = new Date()
  utimesSync(MODULES_STATE, now, now)
}
