import { createHash, randomBytes } from 'node:crypto'
import { open } from 'node:fs/promises'
import { join } from 'node:path'

export interface TestFile {
  path: string
  name: string
  size: number
  /** Lowercase hex SHA-256 of the content. */
  sha256: string
}

const WRITE_BYTES = 1024 * 1024

/** Writes `size` random bytes to `dir/name`, a mebibyte at a time, hashing as it goes. */
export async function writeRandomFile(dir: string, name: string, size: number): Promise<TestFile> {
  const path = join(dir, name)
  const hash = createHash('sha256')
  const file = await open(path, 'w')
  try {
    for (let written = 0; written < size; written += WRITE_BYTES) {
      const block = randomBytes(Math.min(WRITE_BYTES, size - written))
      hash.update(block)
      await file.write(block)
    }
  } finally {
    await file.close()
  }
  return { path, name, size, sha256: hash.digest('hex') }
}

export const MIB = 1024 * 1024
