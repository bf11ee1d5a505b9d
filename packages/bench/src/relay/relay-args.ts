import { parseArgs } from 'node:util'

export interface RelayBenchArgs {
  sizeMiB: number
  rounds: number
}

export const RELAY_USAGE = `usage: bench-relay [--size MiB] [--rounds N]

  --size    the file sent through the relay, in MiB (default 256)
  --rounds  raw/Ferry alternations; the best run of each counts (default 2)`

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parseRelayBenchArgs(argv: string[]): RelayBenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:relay -- --size 64` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      size: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '2' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(RELAY_USAGE)
  return { sizeMiB: positive('--size', values.size, false), rounds: positive('--rounds', values.rounds, true) }
}

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} takes a ${integer ? 'whole ' : ''}number above 0, not '${text}'`)
  }
  return value
}
