import { createHash, randomBytes } from 'node:crypto'
import { link, mkdir, open, stat, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, extname, join } from 'node:path'
import { FerryError } from '@ferry/protocol'
import { blobSource } from '../browser/blob-source.js'
import type { FileSink, FileSource, IncomingFileInfo, Platform, ReceivedFile } from '../types.js'
import { mimeFromName, safeFileName } from './file-names.js'

export interface NodePlatformOptions {
  /** A WebRTC implementation, e.g. `import wrtc from '@roamhq/wrtc'`. */
  wrtc: unknown
  /** Where received files are written. Default: `<os tmpdir>/ferry-downloads`. */
  downloadDir?: string
}

/**
 * Node: files are read from paths (or Blobs) and received files are streamed to `downloadDir`,
 * first as a hidden `.part` file, renamed to a free `name`, `name (1)`, ... once verified.
 */
export function nodePlatform(options: NodePlatformOptions): Platform {
  const downloadDir = options.downloadDir ?? join(tmpdir(), 'ferry-downloads')
  return {
    wrtc: options.wrtc,
    async openFile(input, name, mime) {
      if (typeof input !== 'string') return blobSource(input, name, mime)
      return openPath(input, name, mime)
    },
    createFileSink: (info) => fileSink(downloadDir, info),
    async createHasher() {
      const hash = createHash('sha256')
      return {
        update: (data) => {
          hash.update(data)
        },
        digest: () => new Uint8Array(hash.digest()),
      }
    },
  }
}

async function openPath(path: string, name?: string, mime?: string): Promise<FileSource> {
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

async function fileSink(dir: string, info: IncomingFileInfo): Promise<FileSink> {
  let handle: Awaited<ReturnType<typeof open>> | undefined
  const partPath = join(dir, `.${randomBytes(12).toString('hex')}.part`)
  try {
    await mkdir(dir, { recursive: true })
    handle = await open(partPath, 'wx')
  } catch (err) {
    throw new FerryError('file-write-error', (err as Error).message)
  }
  let removed = false
  const closeHandle = async () => {
    const h = handle
    handle = undefined
    await h?.close()
  }
  return {
    async write(data) {
      if (!handle) throw new FerryError('file-write-error', 'the file is closed')
      try {
        let written = 0
        while (written < data.length) {
          const { bytesWritten } = await handle.write(data, written, data.length - written)
          written += bytesWritten
        }
      } catch (err) {
        throw new FerryError('file-write-error', (err as Error).message)
      }
    },
    async finish(sha256): Promise<ReceivedFile> {
      try {
        await closeHandle()
        const path = await claimFreeName(dir, safeFileName(info.name), partPath)
        await unlink(partPath)
        const size = (await stat(path)).size
        return { name: info.name, size, mime: info.mime, sha256, path }
      } catch (err) {
        throw new FerryError('file-write-error', (err as Error).message)
      }
    },
    async abort() {
      if (removed) return
      removed = true
      await closeHandle().catch(() => {})
      await unlink(partPath).catch(() => {})
    },
  }
}

/** Hard-links `from` under the first free `name`, `name (1)`, ...: atomic, never overwrites. */
async function claimFreeName(dir: string, name: string, from: string): Promise<string> {
  const ext = extname(name)
  const stem = name.slice(0, name.length - ext.length)
  for (let n = 0; ; n++) {
    const path = join(dir, n === 0 ? name : `${stem} (${n})${ext}`)
    try {
      await link(from, path)
      return path
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 9999) throw err
    }
  }
}
