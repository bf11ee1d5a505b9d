import { parseArgs } from 'node:util'
import { DEFAULT_MEDIA_MAX_BYTES } from '@ferry/protocol'
import { BYTES_PER_MIB } from '../measure.js'

/** What one media bench run measures: uploads to the store, downloads from it, downloads from the online uploader. */
export type MediaCase = 'upload' | 'download' | 'download-peer'

export interface MediaBenchArgs {
  sizeMiB: number
  rounds: number
  cases: MediaCase[]
}

/**
 * The store's own default limit, not the 256 MiB of the other benches: media are chat attachments, and
 * this is the largest one a server takes unless its operator raises it. The bench raises the server's
 * `maxBytes` to whatever `--size` asks for.
 */
const DEFAULT_SIZE_MIB = DEFAULT_MEDIA_MAX_BYTES / BYTES_PER_MIB

const ALL_CASES: readonly MediaCase[] = ['upload', 'download', 'download-peer']

export const MEDIA_USAGE = `usage: bench-media [--size MiB] [--rounds N] [--cases upload,download,download-peer]

  --size    the media uploaded and downloaded, in MiB (default ${DEFAULT_SIZE_MIB}, the store's default limit)
  --rounds  raw/Ferry alternations; the best run of each side counts (default 2)
  --cases   which cases to run (default ${ALL_CASES.join(',')}); download and download-peer need an upload,
            which then runs untimed when upload is not asked for`

/** Parses the command line; throws with a message fit for the user on anything off. */
export function parseMediaBenchArgs(argv: string[]): MediaBenchArgs {
  const { values } = parseArgs({
    // `pnpm bench:media -- --size 64` forwards the `--` too.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      size: { type: 'string', default: String(DEFAULT_SIZE_MIB) },
      rounds: { type: 'string', default: '2' },
      cases: { type: 'string', default: ALL_CASES.join(',') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) throw new Error(MEDIA_USAGE)
  return {
    sizeMiB: positive('--size', values.size, false),
    rounds: positive('--rounds', values.rounds, true),
    cases: cases(values.cases),
  }
}

function positive(name: string, text: string, integer: boolean): number {
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} takes a ${integer ? 'whole ' : ''}number above 0, not '${text}'`)
  }
  return value
}

function cases(text: string): MediaCase[] {
  const items = text.split(',').map((item) => item.trim())
  for (const item of items) {
    if (!ALL_CASES.includes(item as MediaCase))
      throw new Error(`--cases: '${item}' is not one of ${ALL_CASES.join(', ')}`)
  }
  return ALL_CASES.filter((item) => items.includes(item))
}
