import { parseArgs } from 'node:util'
import type { PeerImpl } from '../peer-ipc.js'

/** How clients log in: `all` at once (a server restart's reconnect storm), or in batches of this many. */
/**
 * Every bench client connects from 127.0.0.1, where the limits meant for one address on the internet
 * (connections, logins per second) would refuse all but the first few hundred. Per-user limits stay.
 */
const LOOPBACK_SERVER_OPTIONS = {
  maxConnectionsPerAddress: 0,
  limits: { loginsPerAddress: { perSecond: 1_000_000, burst: 1_000_000 } },
}

export type Ramp = 'all' | number

export interface PresenceBenchArgs {
  clients: number[]
  ramps: Ramp[]
  subscribe: number
  pairs: number
  signalsPerSender: number
  rounds: number
  impls: PeerImpl[]
  /** `SignalingServerOptions` for Ferry's server, as parsed from `--server-options`. */
  serverOptions: Record<string, unknown>
  clientProcesses: number
  timeoutSeconds: number
  /**
   * 1: each server alone, as ever. 2: besides, Ferry with the clients spread over two nodes sharing a
   * throwaway Redis, against Ferry with the same clients on one node over the same Redis.
   */
  nodes: 1 | 2
}

/**
 * Client processes by default: the machine's two cores are shared with the server, and four processes
 * keep any one of them from holding more than a quarter of the clients' work.
 */
const DEFAULT_CLIENT_PROCESSES = 4

export const PRESENCE_USAGE = `usage: bench-presence [--clients N,...] [--ramp all|BATCH,...] [--subscribe K] [--pairs P]
                      [--signals S] [--rounds R] [--impls raw,ferry] [--server-options JSON]
                      [--client-procs C] [--timeout SECONDS] [--nodes 1|2]

  --clients         idle clients to log in, one run per value (default 1000,5000,10000)
  --ramp            all: every client at once (a reconnect storm); a number: batches of that many,
                    each after the last one is ready; several as a list (default all)
  --subscribe       users each client follows with presence:subscribe once ready (default 2; 0: none);
                    skipped, and reported, when the server does not answer it
  --pairs           pairs exchanging signals once all clients are in (default 1000; 0: no routing phase)
  --signals         signals each end of a pair sends, each after the last one's ack (default 10)
  --rounds          raw/Ferry alternations per client count and ramp; the fastest ramp of each counts (default 1)
  --impls           which servers to run (default raw,ferry)
  --server-options  SignalingServerOptions for Ferry's server as JSON; port and host are the bench's
                    (default: no per-address connection cap or login budget, since every client
                    connects from 127.0.0.1)
  --client-procs    child processes the clients are spread over (default ${DEFAULT_CLIENT_PROCESSES})
  --timeout         seconds a run's login ramp may take before the run ends with an error line (default 600)
  --nodes           1: the servers each in one process (default). 2: over one throwaway redis-server,
                    Ferry with the clients alternating between two nodes (and every signal pair split
                    across them) against Ferry with the same clients on one node, in the same run; the
                    raw baseline still runs, alone, when --impls has it, and is compared with the
                    one-node Ferry (its state in Redis)`

const ALL_IMPLS: readonly PeerImpl[] = ['raw', 'ferry']

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parsePresenceBenchArgs(argv: string[]): PresenceBenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:presence -- --clients 1000` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      clients: { type: 'string', default: '1000,5000,10000' },
      ramp: { type: 'string', default: 'all' },
      subscribe: { type: 'string', default: '2' },
      pairs: { type: 'string', default: '1000' },
      signals: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '1' },
      impls: { type: 'string', default: ALL_IMPLS.join(',') },
      'server-options': { type: 'string', default: JSON.stringify(LOOPBACK_SERVER_OPTIONS) },
      'client-procs': { type: 'string', default: String(DEFAULT_CLIENT_PROCESSES) },
      timeout: { type: 'string', default: '600' },
      nodes: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(PRESENCE_USAGE)
  const nodes = whole('--nodes', values.nodes, 1)
  if (nodes > 2) throw new Error('--nodes takes 1 or 2')
  const chosen = impls(values.impls)
  if (nodes === 2 && !chosen.includes('ferry'))
    throw new Error('--nodes 2 compares Ferry on two nodes: --impls needs ferry')
  return {
    clients: values.clients.split(',').map((item) => whole('--clients', item.trim(), 2)),
    ramps: values.ramp.split(',').map((item) => ramp(item.trim())),
    subscribe: whole('--subscribe', values.subscribe, 0),
    pairs: whole('--pairs', values.pairs, 0),
    signalsPerSender: whole('--signals', values.signals, 1),
    rounds: whole('--rounds', values.rounds, 1),
    impls: chosen,
    serverOptions: serverOptions(values['server-options']),
    clientProcesses: whole('--client-procs', values['client-procs'], 1),
    timeoutSeconds: whole('--timeout', values.timeout, 1),
    nodes: nodes === 2 ? 2 : 1,
  }
}

function whole(name: string, text: string, min: number): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} takes a whole number >= ${min}, not '${text}'`)
  return value
}

function ramp(text: string): Ramp {
  return text === 'all' ? 'all' : whole('--ramp', text, 1)
}

function impls(text: string): PeerImpl[] {
  const items = text.split(',').map((item) => item.trim())
  for (const item of items) {
    if (!ALL_IMPLS.includes(item as PeerImpl))
      throw new Error(`--impls: '${item}' is not one of ${ALL_IMPLS.join(', ')}`)
  }
  return ALL_IMPLS.filter((impl) => items.includes(impl))
}

function serverOptions(text: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new Error(`--server-options is not JSON: ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('--server-options takes a JSON object of SignalingServerOptions')
  }
  return value as Record<string, unknown>
}
