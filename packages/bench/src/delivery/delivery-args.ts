import { parseArgs } from 'node:util'

/** Where the Ferry server keeps its state during the bench. */
export type DeliveryState = 'memory' | 'file' | 'redis'

export interface DeliveryBenchArgs {
  /** Kept messages in all, split evenly over the users. */
  messages: number
  users: number
  rounds: number
  state: DeliveryState
}

export const DELIVERY_USAGE = `usage: bench-delivery [--messages N] [--users N] [--rounds N] [--state memory|file|redis]

  --messages  kept messages in all, an equal share for each user (default 10000)
  --users     offline users they are kept for, who then all log in at once (default 100)
  --rounds    raw/Ferry alternations; the best run of each counts (default 2)
  --state     where the Ferry server keeps them: memory, file (its embedded store) or redis
              (a throwaway redis-server) (default file, what the CLI uses)`

const STATES: readonly DeliveryState[] = ['memory', 'file', 'redis']

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parseDeliveryBenchArgs(argv: string[]): DeliveryBenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:delivery -- --users 10` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      messages: { type: 'string', default: '10000' },
      users: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '2' },
      state: { type: 'string', default: 'file' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(DELIVERY_USAGE)
  const users = whole('--users', values.users)
  const messages = whole('--messages', values.messages)
  if (messages % users !== 0) throw new Error(`--messages (${messages}) must be a multiple of --users (${users})`)
  if (!STATES.includes(values.state as DeliveryState)) {
    throw new Error(`--state: '${values.state}' is not one of ${STATES.join(', ')}`)
  }
  return { messages, users, rounds: whole('--rounds', values.rounds), state: values.state as DeliveryState }
}

function whole(name: string, text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} takes a whole number above 0, not '${text}'`)
  return value
}
