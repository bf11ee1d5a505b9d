import { parseArgs } from 'node:util'
import type { BenchCase, PeerImpl } from './peer-ipc.js'

export interface BenchArgs {
  sizeMiB: number
  rounds: number
  cases: BenchCase[]
  impls: PeerImpl[]
  cmdCount: number
  cmdWarmup: number
}

export const USAGE = `usage: bench-node [--size MiB] [--rounds N] [--cases buffer,file,cmd] [--impls raw,ferry]
                  [--cmds N] [--cmd-warmup N]

  --size        payload of the buffer and file cases, in MiB (default 256)
  --rounds      raw/Ferry alternations per case; the best run of each counts (default 2)
  --cases       which cases to run (default buffer,file,cmd)
  --impls       which sides to run (default raw,ferry); one side alone prints null for the other
  --cmds        timed cmd round trips per run (default 1000)
  --cmd-warmup  untimed cmd round trips before them (default 50)`

const ALL_CASES: readonly BenchCase[] = ['buffer', 'file', 'cmd']
const ALL_IMPLS: readonly PeerImpl[] = ['raw', 'ferry']

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:node -- --size 64` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      size: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '2' },
      cases: { type: 'string', default: ALL_CASES.join(',') },
      impls: { type: 'string', default: ALL_IMPLS.join(',') },
      cmds: { type: 'string', default: '1000' },
      'cmd-warmup': { type: 'string', default: '50' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(USAGE)
  return {
    sizeMiB: positive('--size', values.size, false),
    rounds: positive('--rounds', values.rounds, true),
    cases: list('--cases', values.cases, ALL_CASES),
    impls: list('--impls', values.impls, ALL_IMPLS),
    cmdCount: positive('--cmds', values.cmds, true),
    cmdWarmup: positive('--cmd-warmup', values['cmd-warmup'], true, true),
  }
}

function positive(name: string, text: string, integer: boolean, zeroOk = false): number {
  const value = Number(text)
  const ok = Number.isFinite(value) && (zeroOk ? value >= 0 : value > 0) && (!integer || Number.isInteger(value))
  if (!ok) throw new Error(`${name} takes a ${integer ? 'whole ' : ''}number${zeroOk ? '' : ' above 0'}, not '${text}'`)
  return value
}

function list<T extends string>(name: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(',').map((item) => item.trim())
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`${name}: '${item}' is not one of ${allowed.join(', ')}`)
  }
  return allowed.filter((item) => items.includes(item))
}
