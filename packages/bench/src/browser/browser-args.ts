import { parseArgs } from 'node:util'

/**
 * Diagnostic sides besides `raw` and `ferry`: `ferry-memory` keeps received files in memory instead of
 * IndexedDB (storage cost), `raw-unhashed` skips the raw side's SHA-256 (hashing cost).
 */
export type BrowserImpl = 'raw' | 'ferry' | 'ferry-memory' | 'raw-unhashed'

export interface BrowserBenchArgs {
  sizeMiB: number
  rounds: number
  impls: BrowserImpl[]
  /** Write a CPU profile of each page's main thread per timed transfer into this folder. */
  profileDir: string | undefined
  /** Force a GC on both pages this often during a transfer (0: never), to see what is retained. */
  gcEveryMs: number
}

export const USAGE = `usage: bench-browser [--size MiB] [--rounds N] [--impls raw,ferry,ferry-memory,raw-unhashed]
                     [--profile DIR] [--gc-every MS]

  --size      file size in MiB (default 256)
  --rounds    alternations of the sides; the best run of each counts (default 2)
  --impls     which sides to run (default raw,ferry); one side alone prints null for the other.
              diagnostics: ferry-memory stores received files in memory, not IndexedDB;
              raw-unhashed is raw without SHA-256 on either side
  --profile   write a .cpuprofile of each page's main thread per transfer into DIR (open it in
              Chrome DevTools) and print where the time went; profiling slows the runs a little
  --gc-every  force a GC on both pages every MS during transfers and report the peak retained
              heap too; this lowers the unforced peaks, which the targets are about (default 0: off)

  Chromium: CHROMIUM_PATH, else /usr/bin/chromium.`

const ALL_IMPLS: readonly BrowserImpl[] = ['raw', 'ferry', 'ferry-memory', 'raw-unhashed']
const DEFAULT_IMPLS: readonly BrowserImpl[] = ['raw', 'ferry']

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parseBrowserBenchArgs(argv: string[]): BrowserBenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:browser -- --size 64` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      size: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '2' },
      impls: { type: 'string', default: DEFAULT_IMPLS.join(',') },
      profile: { type: 'string' },
      'gc-every': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(USAGE)
  const items = values.impls.split(',').map((item) => item.trim())
  for (const item of items) {
    if (!ALL_IMPLS.includes(item as BrowserImpl)) {
      throw new Error(`--impls: '${item}' is not one of ${ALL_IMPLS.join(', ')}`)
    }
  }
  return {
    sizeMiB: number('--size', values.size, false, false),
    rounds: number('--rounds', values.rounds, true, false),
    impls: ALL_IMPLS.filter((impl) => items.includes(impl)),
    profileDir: values.profile,
    gcEveryMs: number('--gc-every', values['gc-every'], true, true),
  }
}

function number(name: string, text: string, integer: boolean, zeroOk: boolean): number {
  const value = Number(text)
  const ok = Number.isFinite(value) && (zeroOk ? value >= 0 : value > 0) && (!integer || Number.isInteger(value))
  if (!ok) throw new Error(`${name} takes a ${integer ? 'whole ' : ''}number${zeroOk ? '' : ' above 0'}, not '${text}'`)
  return value
}
