#!/usr/bin/env node
// The whole test suite, one step after another, stopping at the first that fails:
//
//   typecheck  tsc -b over every project that exists so far, then tsc -p over the test folders
//   lint       biome check (format and lint rules)
//   unit       node:test over packages/*/test and signaling/test, inside a loopback-only network namespace
//              (installs Debian's coturn and redis-server first when missing, for the TURN and Redis tests)
//   e2e        Playwright over the demo page in Chromium, inside a loopback-only network namespace
//
// Exit code: the first failing step's. FERRY_TEST_CONCURRENCY sets how many test files run at once.
// CHROMIUM_PATH names the browser for e2e (default /usr/bin/chromium); when it is missing on a Debian
// or Ubuntu machine and we are root, e2e installs Debian's chromium package first.
// Step names as arguments run only those steps: `node packages/devkit/run-tests.mjs lint unit`.

import { accessSync, constants, existsSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand, runInNetns } from './netns.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = join(ROOT, 'node_modules', '.bin')
const IS_WINDOWS = process.platform === 'win32'

/** Projects for `tsc -b`: a directory (its tsconfig.json) or a tsconfig file. */
const TYPECHECK_PROJECTS = [
  'packages/protocol',
  'packages/client',
  'packages/client/tsconfig.node.json',
  'packages/server-sdk',
  'signaling',
  'demo',
  'demo/tsconfig.node.json',
  'e2e',
]

/** Projects that emit nothing (tests, benchmarks): checked with `tsc -p` after the build. */
const TEST_PROJECTS = ['packages/protocol/test', 'packages/client/test', 'signaling/test', 'packages/bench']

const PLAYWRIGHT_CONFIG = 'e2e/playwright.config.ts'
const PLAYWRIGHT_CLI = 'e2e/node_modules/@playwright/test/cli.js'
const DEFAULT_CHROMIUM = '/usr/bin/chromium'
const TURNSERVER = '/usr/bin/turnserver'

/** Redis from Debian's `redis-server`, for the state contract tests and the multi-node tests. */
const REDIS_SERVER = '/usr/bin/redis-server'

/** Directories whose `*.test.ts` files (searched recursively) make up the unit and integration tests. */
function testDirectories() {
  const packages = join(ROOT, 'packages')
  const dirs = existsSync(packages)
    ? readdirSync(packages, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(packages, entry.name, 'test'))
    : []
  dirs.push(join(ROOT, 'signaling', 'test'))
  return dirs.filter((dir) => existsSync(dir))
}

function collectTests(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) collectTests(path, out)
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

function bin(name) {
  return join(BIN, IS_WINDOWS ? `${name}.cmd` : name)
}

function tool(name, args) {
  if (!existsSync(bin(name))) {
    console.error(`${name} is not installed: run node packages/devkit/bootstrap.mjs (npm test does) first`)
    return 127
  }
  return runCommand(bin(name), args, { cwd: ROOT, shell: IS_WINDOWS })
}

async function typecheck() {
  const projects = []
  for (const project of TYPECHECK_PROJECTS) {
    const tsconfig = project.endsWith('.json') ? project : `${project}/tsconfig.json`
    if (existsSync(join(ROOT, tsconfig))) projects.push(project)
    else console.log(`typecheck: skipping ${project} (no ${tsconfig} yet)`)
  }
  if (projects.length === 0) return { skipped: 'no projects' }
  // Build mode, not --noEmit: a project that others reference must emit (TS6310), so this writes
  // declarations and JavaScript to each project's git-ignored dist/, incrementally.
  const built = await tool('tsc', ['-b', ...projects])
  if (built !== 0) return built
  for (const project of TEST_PROJECTS) {
    if (!existsSync(join(ROOT, project, 'tsconfig.json'))) continue
    const checked = await tool('tsc', ['-p', project])
    if (checked !== 0) return checked
  }
  return 0
}

function lint() {
  return tool('biome', ['check', '.'])
}

async function unit() {
  // The TURN test runs Debian's coturn; without it that one test skips and says how to install it.
  if (!(await ensureDebianPackage('coturn', TURNSERVER))) console.log(`unit: no ${TURNSERVER}, the TURN test will skip`)
  // Redis backs the multi-node server; its tests start their own redis-server on a free port.
  if (!(await ensureDebianPackage('redis-server', REDIS_SERVER))) {
    console.log(`unit: no ${REDIS_SERVER}, the Redis tests will fail (install it: apt-get install redis-server)`)
  }
  const files = testDirectories()
    .flatMap((dir) => collectTests(dir))
    .map((file) => relative(ROOT, file))
    .sort()
  if (files.length === 0) return { skipped: 'no test files' }
  const concurrency = process.env.FERRY_TEST_CONCURRENCY || '2'
  console.log(`unit: ${files.length} test files, ${concurrency} at a time`)
  return runInNetns(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    cwd: ROOT,
  })
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Makes sure the browser for e2e is there: CHROMIUM_PATH, else Debian's /usr/bin/chromium, installed
 * with apt-get when missing and we are root on an apt system (outside the namespace: it needs the
 * network). Resolves with the path, or with an exit code after saying what to do.
 */
async function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH
  if (wanted) {
    if (isExecutable(wanted)) return { path: wanted }
    console.error(`e2e: CHROMIUM_PATH is ${wanted}, which is not an executable file`)
    return { code: 1 }
  }
  if (await ensureDebianPackage('chromium', DEFAULT_CHROMIUM)) return { path: DEFAULT_CHROMIUM }
  console.error(
    `e2e: no Chromium at ${DEFAULT_CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install chromium), ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable. Playwright’s own browser download is not used.',
  )
  return { code: 1 }
}

/**
 * True when `binary` exists, installing Debian's `pkg` first when it is missing and we are root on an
 * apt system. Runs outside the network namespace: the install needs the package mirror.
 */
async function ensureDebianPackage(pkg, binary) {
  if (isExecutable(binary)) return true
  const apt = process.platform === 'linux' && process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get')
  if (!apt) return false
  console.log(`no ${binary}; installing Debian's ${pkg} package`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  let code = await runCommand('apt-get', ['update'], { env })
  if (code === 0) code = await runCommand('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env })
  return code === 0 && isExecutable(binary)
}

async function e2e() {
  if (!existsSync(join(ROOT, PLAYWRIGHT_CONFIG))) return { skipped: `no ${PLAYWRIGHT_CONFIG}` }
  if (!existsSync(join(ROOT, PLAYWRIGHT_CLI))) {
    console.error('@playwright/test is not installed: run node packages/devkit/bootstrap.mjs (npm test does) first')
    return 127
  }
  const chromium = await ensureChromium()
  if (chromium.code !== undefined) return chromium.code
  console.log(`e2e: Playwright with ${chromium.path}`)
  return runInNetns(process.execPath, [PLAYWRIGHT_CLI, 'test', '-c', PLAYWRIGHT_CONFIG], {
    cwd: ROOT,
    env: { ...process.env, CHROMIUM_PATH: chromium.path },
  })
}

/** The suite, in order. */
const STEPS = [
  { name: 'typecheck', run: typecheck },
  { name: 'lint', run: lint },
  { name: 'unit', run: unit },
  { name: 'e2e', run: e2e },
]

// Step names on the command line run only those steps (still in suite order), e.g. `run-tests.mjs unit`.
const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !STEPS.some((step) => step.name === name))
if (unknown.length > 0) {
  console.error(`unknown step ${unknown.join(', ')}; steps are ${STEPS.map((step) => step.name).join(', ')}`)
  process.exit(2)
}

const outcomes = []
let exitCode = 0
for (const step of STEPS) {
  if (wanted.length > 0 && !wanted.includes(step.name)) continue
  if (exitCode !== 0) {
    outcomes.push(`${step.name} not run`)
    continue
  }
  console.log(`\n== ${step.name}`)
  const result = await step.run()
  if (typeof result === 'object') {
    console.log(`${step.name}: skipped (${result.skipped})`)
    outcomes.push(`${step.name} skipped`)
  } else if (result === 0) {
    outcomes.push(`${step.name} ok`)
  } else {
    console.error(`\n${step.name} failed (exit code ${result}); later steps were not run`)
    outcomes.push(`${step.name} FAILED`)
    exitCode = result
  }
}
console.log(`\ntests: ${outcomes.join(', ')}`)
process.exitCode = exitCode
