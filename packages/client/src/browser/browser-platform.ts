import { FerryError } from '@ferry/protocol'
import type { FileSink, IncomingFileInfo, Platform, ReceivedFile } from '../types.js'
import { blobSource } from './blob-source.js'
import { idbFileSink, sweepPartials } from './idb-file-store.js'
import { holdPageLock, liveLockNames } from './page-lock.js'
import { createWasmHasher } from './wasm-hasher.js'

export interface BrowserPlatformOptions {
  /**
   * Where received files go: `indexeddb` (default where IndexedDB exists) streams them to disk-backed
   * storage so memory stays flat at any size; `memory` keeps them in a Blob built in memory.
   */
  storage?: 'indexeddb' | 'memory'
}

/**
 * The default platform: the global WebRTC implementation, Blob/File sources, and received files
 * streamed into IndexedDB. SHA-256 is incremental, in WebAssembly.
 * Creating it sweeps partial files left behind by pages that closed mid-transfer.
 */
export function browserPlatform(options: BrowserPlatformOptions = {}): Platform {
  const storage = options.storage ?? (globalThis.indexedDB ? 'indexeddb' : 'memory')
  let owner: Promise<string> | undefined
  if (storage === 'indexeddb') {
    owner = holdPageLock()
    void owner.then(sweepDeadPartials).catch(() => {})
  }
  return {
    async openFile(input, name, mime) {
      if (typeof input === 'string') {
        throw new FerryError('invalid-argument', 'file paths need the Node platform; pass a Blob or File')
      }
      return blobSource(input, name, mime)
    },
    async createFileSink(info) {
      return owner ? idbFileSink(info, await owner) : memorySink(info)
    },
    createHasher: createWasmHasher,
  }
}

async function sweepDeadPartials(self: string): Promise<void> {
  const live = await liveLockNames()
  await sweepPartials((owner) => (owner === self ? true : live?.has(owner)))
}

function memorySink(info: IncomingFileInfo): FileSink {
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
