import { parseArgs } from 'node:util'

export interface RelayBenchArgs {
  sizeMiB: number
  rounds: number
  /** 1: raw and Ferry through one server. 2 or more: Ferry on one node against Ferry across two, over Redis. */
  nodes: number
}

export const RELAY_USAGE = `usage: bench-relay [--size MiB] [--rounds N] [--nodes N]

  --size    the file sent through the relay, in MiB (default 256)
  --rounds  alternations of the sides; the best run of each counts (default 2)
  --nodes   1: Ferry against a bare Socket.IO stream through one server (default). 2: Ferry with the
            sender and the receiver on two server nodes over one Redis (a throwaway redis-server)
            against Ferry through one of those nodes, in the same run`

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parseRelayBenchArgs(argv: string[]): RelayBenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:relay -- --size 64` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      size: { type: 'string', default: '256' },
      rounds: { type: 'string', default: '2' },
      nodes: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(RELAY_USAGE)
  const nodes = positive('--nodes', values.nodes, true)
  if (nodes > 2) throw new Error('--nodes takes 1 or 2: a relayed transfer has two ends')
  return {
    sizeMiB: positive('--size', values.size, false),
    rounds: positive('--rounds', values.rounds, true),
    nodes,
  }
}

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} takes a ${integer ? 'whole ' : ''}number above 0, not '${text}'`)
  }
  return value
}
