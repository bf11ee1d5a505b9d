import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FerryError, USER_ID_PATTERN } from '@ferry/protocol'
import { blobSource } from '../browser/blob-source.js'
import type { FileSink, IncomingFileInfo, Platform, ReceivedFile } from '../types.js'
import { moveToFreeName, safeFileName } from './file-names.js'
import { fsError } from './fs-errors.js'
import { idSegment } from './id-paths.js'
import { mediaDirCache } from './media-dir-cache.js'
import { pathSource } from './path-source.js'
import { tempFile } from './temp-file.js'

export interface NodePlatformOptions {
  /** A WebRTC implementation, e.g. `import wrtc from '@roamhq/wrtc'`. */
  wrtc: unknown
  /** Where received files are written. Default: `<os tmpdir>/ferry-downloads`. */
  downloadDir?: string
  /** Where each user's media cache lives, one directory per user. Default: `<os tmpdir>/ferry-media`. */
  mediaDir?: string
  /** Most bytes one user's media cache keeps. Default DEFAULT_MEDIA_CACHE_BYTES (2 GiB). */
  mediaCacheBytes?: number
}

/**
 * Node: files are read from paths (or Blobs) and received files are streamed to `downloadDir`,
 * first as a hidden `.part` file, renamed to a free `name`, `name (1)`, ... once verified.
 * Media are cached in `mediaDir/<userId>`, the user id escaped as a path segment (see `idSegment`).
 */
export function nodePlatform(options: NodePlatformOptions): Platform {
  const downloadDir = options.downloadDir ?? join(tmpdir(), 'ferry-downloads')
  const mediaDir = options.mediaDir ?? join(tmpdir(), 'ferry-media')
  return {
    wrtc: options.wrtc,
    async openFile(input, name, mime) {
      if (typeof input !== 'string') return blobSource(input, name, mime)
      return pathSource(input, name, mime)
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
    createMediaCache(userId) {
      if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) {
        throw new FerryError('invalid-argument', `no media cache directory for user id ${JSON.stringify(userId)}`)
      }
      return mediaDirCache({
        dir: join(mediaDir, idSegment(userId)),
        downloadDir,
        ...(options.mediaCacheBytes === undefined ? {} : { maxBytes: options.mediaCacheBytes }),
      })
    },
  }
}

async function fileSink(dir: string, info: IncomingFileInfo): Promise<FileSink> {
  const file = await tempFile(dir)
  return {
    write: (data) => file.write(data),
    async finish(sha256): Promise<ReceivedFile> {
      try {
        await file.close()
        const path = await moveToFreeName(dir, safeFileName(info.name), file.path)
        const size = (await stat(path)).size
        return { name: info.name, size, mime: info.mime, sha256, path }
      } catch (err) {
        throw fsError('file-write-error', err)
      }
    },
    abort: () => file.discard(),
  }
}
