import { randomBytes } from 'node:crypto'
import { link, open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { MEDIA_KEY_SECRET_BYTES } from './media-keys.js'

/** The file in the store's directory holding the secret every node sharing it signs media keys with. */
export const KEY_SECRET_FILE = 'media-keys.secret'

/**
 * The secret of `dir`'s media keys, created on first use: written whole to a file of this process's
 * own (mode 0600), fsynced, then linked to KEY_SECRET_FILE. A link fails when the name exists, so when
 * several nodes start at once exactly one secret wins and every node reads that one; a reader never
 * sees a half-written file. Throws when the file exists but is not a secret (a foreign file).
 */
export async function loadKeySecret(dir: string): Promise<Buffer> {
  const path = join(dir, KEY_SECRET_FILE)
  const existing = await readSecret(path)
  if (existing) return existing
  const draft = join(dir, `${KEY_SECRET_FILE}.${randomBytes(8).toString('hex')}.tmp`)
  try {
    const handle = await open(draft, 'wx', 0o600)
    try {
      await handle.writeFile(randomBytes(MEDIA_KEY_SECRET_BYTES))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await link(draft, path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    })
  } finally {
    await rm(draft, { force: true })
  }
  const secret = await readSecret(path)
  if (!secret) throw new Error(`${path} is not a media key secret of ${MEDIA_KEY_SECRET_BYTES} bytes`)
  return secret
}

async function readSecret(path: string): Promise<Buffer | undefined> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  if (bytes.length !== MEDIA_KEY_SECRET_BYTES) {
    throw new Error(`${path} is not a media key secret of ${MEDIA_KEY_SECRET_BYTES} bytes`)
  }
  return bytes
}
