import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ByteLimit } from './byte-limit.js'
import { hashTap } from './running-hashes.js'

/**
 * Writes `body` to a new file at `path`, hashing it on the way: the SHA-256 is known the
 * moment the last byte is on disk, with no second read. More than `maxBytes` fails with `past-size`;
 * an abort of `signal` fails with its reason.
 */
export async function writeHashed(
  body: Readable,
  path: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256')
  const hasher = hashTap(hash)
  const out = createWriteStream(path, { flags: 'wx' })
  try {
    await pipeline(body, new ByteLimit(maxBytes), hasher, out, { signal })
  } catch (error) {
    throw signal.aborted ? signal.reason : error
  }
  return { bytes: out.bytesWritten, sha256: hash.digest('hex') }
}
