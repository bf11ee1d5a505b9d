import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { FerryError } from '@ferry/protocol'
import type { FileSource } from '../types.js'
import { mimeFromName } from './file-names.js'

/** A FileSource over a file on disk: reads are positional, from one handle held until `close`. */
export async function pathSource(path: string, name?: string, mime?: string): Promise<FileSource> {
  let handle: Awaited<ReturnType<typeof open>>
  let size: number
  try {
    handle = await open(path, 'r')
    const info = await handle.stat()
    if (!info.isFile()) {
      await handle.close()
      throw new Error(`${path} is not a file`)
    }
    size = info.size
  } catch (err) {
    throw new FerryError('file-read-error', (err as Error).message)
  }
  const fileName = name ?? basename(path)
  return {
    name: fileName,
    size,
    mime: mime ?? mimeFromName(fileName),
    async readInto(target, position) {
      let filled = 0
      while (filled < target.length) {
        const { bytesRead } = await handle.read(target, filled, target.length - filled, position + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return filled
    },
    close: () => handle.close(),
  }
}
