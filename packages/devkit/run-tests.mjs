#!/usr/bin/env node
// The whole test suite, one step after another, stopping at the first that fails:
//
//   typecheck  tsc -b over every project that exists so far
//   lint       biome check (format and lint rules)
//   unit       node:test over packages/*/test and signaling/test, inside a loopback-only network namespace
//
// Exit code: the first failing step's. FERRY_TEST_CONCURRENCY sets how many test files run at once.
// Step names as arguments run only those steps: `node packages/devkit/run-tests.mjs lint unit`.

import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCommand, runInNetns } from './netns.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const BIN = join(ROOT, 'node_modules', '.bin')
const IS_WINDOWS = process.platform === 'win32'

/** Projects for `tsc -b`: a directory (its tsconfig.json) or a tsconfig file. */
const TYPECHECK_PROJECTS = ['packages/protocol', 'packages/client', 'packages/client/tsconfig.node.json', 'signaling']

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
  return tool('tsc', ['-b', ...projects])
}

function lint() {
  return tool('biome', ['check', '.'])
}

function unit() {
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

/** The suite, in order. The browser end-to-end step (Playwright over the demo) goes after `unit`. */
const STEPS = [
  { name: 'typecheck', run: typecheck },
  { name: 'lint', run: lint },
  { name: 'unit', run: unit },
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
