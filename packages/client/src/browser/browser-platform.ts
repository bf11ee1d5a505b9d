import { FerryError } from '@ferry/protocol'
import type { MediaCache } from '../media/media-cache.js'
import { memoryMediaCache } from '../media/memory-media-cache.js'
import type { FileSink, IncomingFileInfo, Platform, ReceivedFile } from '../types.js'
import { blobSource } from './blob-source.js'
import { idbFileSink, sweepPartials } from './idb-file-store.js'
import { idbMediaCache, sweepMediaPartials } from './idb-media-cache.js'
import type { IsAlive } from './idb-records.js'
import { holdPageLock, liveLockNames } from './page-lock.js'
import { createWasmHasher } from './wasm-hasher.js'

export interface BrowserPlatformOptions {
  /**
   * Where received files and cached media go: `indexeddb` (default where IndexedDB exists) streams them
   * to disk-backed storage so memory stays flat at any size; `memory` keeps them in Blobs built in memory.
   */
  storage?: 'indexeddb' | 'memory'
  /**
   * Most bytes one user's media cache keeps. Default DEFAULT_MEDIA_CACHE_BYTES (2 GiB); with IndexedDB
   * the cache also evicts to stay within the origin's storage estimate.
   */
  mediaCacheBytes?: number
}

/**
 * The default platform: the global WebRTC implementation, Blob/File sources, and received files
 * streamed into IndexedDB. SHA-256 is incremental, in WebAssembly.
 * Creating it sweeps partial files left behind by pages that closed mid-transfer; creating a user's
 * media cache does the same for that user's partial media.
 */
export function browserPlatform(options: BrowserPlatformOptions = {}): Platform {
  const storage = options.storage ?? (globalThis.indexedDB ? 'indexeddb' : 'memory')
  const cacheOptions = options.mediaCacheBytes === undefined ? {} : { maxBytes: options.mediaCacheBytes }
  let owner: Promise<string> | undefined
  if (storage === 'indexeddb') {
    owner = holdPageLock()
    void owner
      .then(liveness)
      .then(sweepPartials)
      .catch(() => {})
  }
  /** Memory caches live as long as the platform: a user's second client on it finds the first one's media. */
  const memoryCaches = new Map<string, MediaCache>()
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
    createMediaCache(userId) {
      if (owner) {
        void owner
          .then(liveness)
          .then((isAlive) => sweepMediaPartials(userId, isAlive))
          .catch(() => {})
        return idbMediaCache({ userId, owner, ...cacheOptions })
      }
      let cache = memoryCaches.get(userId)
      if (!cache) {
        cache = memoryMediaCache(cacheOptions)
        memoryCaches.set(userId, cache)
      }
      return cache
    },
  }
}

/** Which pages are alive now: this one (`self`) and those holding their page lock. */
async function liveness(self: string): Promise<IsAlive> {
  const live = await liveLockNames()
  return (owner) => (owner === self ? true : live?.has(owner))
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
