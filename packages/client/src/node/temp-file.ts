import { randomBytes } from 'node:crypto'
import { mkdir, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { FerryError } from '@ferry/protocol'
import { fsError } from './fs-errors.js'

/** Ends the name of every file Ferry is still writing; with the leading dot, such files are hidden. */
const TEMP_SUFFIX = '.part'

/** A file being written under a hidden name, to be renamed into place once complete. */
export interface TempFile {
  readonly path: string
  /** Bytes written so far. */
  readonly written: number
  /** Appends. */
  write(data: Uint8Array): Promise<void>
  /** Closes it, complete, for the caller to rename. */
  close(): Promise<void>
  /** Closes and removes it. Safe to call more than once. */
  discard(): Promise<void>
}

/** A free hidden name for a temporary file in `dir`. */
export function tempPath(dir: string): string {
  return join(dir, `.${randomBytes(12).toString('hex')}${TEMP_SUFFIX}`)
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX)
}

/** Creates a temporary file in `dir` (and `dir` when missing). Failures are `file-write-error` or `storage-full`. */
export async function tempFile(dir: string): Promise<TempFile> {
  const path = tempPath(dir)
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    await mkdir(dir, { recursive: true })
    handle = await open(path, 'wx')
  } catch (err) {
    throw fsError('file-write-error', err)
  }
  let written = 0
  const closed = () => new FerryError('file-write-error', 'the file is closed')
  return {
    path,
    get written() {
      return written
    },
    async write(data) {
      if (!handle) throw closed()
      try {
        let at = 0
        while (at < data.length) at += (await handle.write(data, at, data.length - at)).bytesWritten
      } catch (err) {
        throw fsError('file-write-error', err)
      }
      written += data.length
    },
    async close() {
      const h = handle
      if (!h) throw closed()
      handle = undefined
      try {
        await h.close()
      } catch (err) {
        throw fsError('file-write-error', err)
      }
    },
    async discard() {
      const h = handle
      handle = undefined
      await h?.close().catch(() => {})
      await unlink(path).catch(() => {})
    },
  }
}
