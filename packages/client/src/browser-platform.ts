import { FerryError } from '@ferry/protocol'
import { sha256 } from '@noble/hashes/sha2.js'
import { blobSource } from './blob-source.js'
import type { FileSink, IncomingFileInfo, Platform, ReceivedFile } from './types.js'

/**
 * The default platform: the global WebRTC implementation, Blob/File sources, and received files
 * assembled into a Blob. SHA-256 is incremental (the Web Crypto API only hashes whole buffers).
 */
export function browserPlatform(): Platform {
  return {
    async openFile(input, name, mime) {
      if (typeof input === 'string') {
        throw new FerryError('invalid-argument', 'file paths need the Node platform; pass a Blob or File')
      }
      return blobSource(input, name, mime)
    },
    async createFileSink(info) {
      return blobSink(info)
    },
    createHasher() {
      const hash = sha256.create()
      return {
        update: (data) => {
          hash.update(data)
        },
        digest: () => hash.digest(),
      }
    },
  }
}

function blobSink(info: IncomingFileInfo): FileSink {
  let parts: Uint8Array[] = []
  return {
    async write(data) {
      parts.push(data)
    },
    async finish(sha256Hex): Promise<ReceivedFile> {
      const blob = new Blob(parts as Uint8Array<ArrayBuffer>[], { type: info.mime })
      parts = []
      return { name: info.name, size: info.size, mime: info.mime, sha256: sha256Hex, blob }
    },
    async abort() {
      parts = []
    },
  }
}
