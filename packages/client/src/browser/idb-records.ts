import { FerryError } from '@ferry/protocol'
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'
import { toHex } from '../hex.js'

/**
 * What Ferry's IndexedDB stores share: one object store per database, content kept as chunk records
 * `['part', id, seq]` (Blobs, so the browser keeps them on disk and a reader's Blob of them is not
 * in memory), metadata under keys of their own, and the storage checks and error mapping around them.
 */
const RECORDS_STORE = 'records'

/**
 * Bytes are written in records of about this size: large enough that IndexedDB transactions are few
 * (one per MiB), small enough that a writer never holds much before it is stored.
 */
const RECORD_BYTES = 1024 * 1024

/** Room kept free beyond the content itself when checking the storage estimate (IndexedDB overhead). */
export const STORAGE_HEADROOM_BYTES = 16 * 1024 * 1024

/** Where no Web Locks API tells whether a partial write's page is alive, it is swept after this long. */
const STALE_PARTIAL_MS = 60 * 60 * 1000

/** Whether a page (its Web Lock name) still runs; undefined where that cannot be known. */
export type IsAlive = (owner: string) => boolean | undefined

/** The database's store, opened on first use (so importing this where IndexedDB is absent is harmless). */
export function recordsDb(name: string): () => UseStore {
  let store: UseStore | undefined
  return () => {
    store ??= createStore(name, RECORDS_STORE)
    return store
  }
}

/** All keys `[kind, <any string>]`. */
export function kindRange(kind: string): IDBKeyRange {
  return IDBKeyRange.bound([kind, ''], [kind, '\uffff'])
}

/** The chunk records of `id`, in order. */
export function partRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound(['part', id, 0], ['part', id, Number.POSITIVE_INFINITY])
}

/** Runs `action` in one readwrite transaction; resolves once it committed. */
export function writeRecords(db: UseStore, action: (store: IDBObjectStore) => void): Promise<void> {
  return db('readwrite', (store) => {
    action(store)
    return promisifyRequest(store.transaction)
  })
}

export function readAll<T>(db: UseStore, range: IDBKeyRange): Promise<T[]> {
  return db('readonly', (store) => promisifyRequest(store.getAll(range)) as Promise<T[]>)
}

/**
 * Reads the record at `key` and hands it to `change`, which may queue more requests in the same
 * readwrite transaction (so nothing comes between the read and the writes); resolves with what
 * `change` returned once the transaction committed.
 */
export function updateRecord<T, R>(
  db: UseStore,
  key: IDBValidKey,
  change: (current: T | undefined, store: IDBObjectStore) => R,
): Promise<R> {
  return db('readwrite', (store) => {
    let result: R
    const request = store.get(key)
    request.onsuccess = () => {
      result = change(request.result as T | undefined, store)
    }
    return promisifyRequest(store.transaction).then(() => result)
  })
}

/** The chunk records of `id` as one Blob backed by the records, not read into memory. */
export async function partsBlob(db: UseStore, id: string, mime: string): Promise<Blob> {
  return new Blob(await readAll<Blob>(db, partRange(id)), { type: mime })
}

/** Appends bytes under `id` as chunk records of RECORD_BYTES (the last one shorter), however they are written. */
export interface PartWriter {
  /** Bytes taken so far, stored or not. */
  readonly written: number
  write(data: Uint8Array): Promise<void>
  /** Stores what is still held. */
  flush(): Promise<void>
  /** Drops what is still held (the caller removes the stored records). */
  discard(): void
}

export function partWriter(db: UseStore, id: string): PartWriter {
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  let written = 0
  let seq = 0
  const flush = async () => {
    if (pendingBytes === 0) return
    const record = new Blob(pending as Uint8Array<ArrayBuffer>[])
    pending = []
    pendingBytes = 0
    const key = ['part', id, seq++]
    await guard(writeRecords(db, (store) => store.put(record, key)))
  }
  return {
    get written() {
      return written
    },
    async write(data) {
      written += data.length
      for (let at = 0; at < data.length; ) {
        const piece = data.subarray(at, at + RECORD_BYTES - pendingBytes)
        pending.push(piece)
        pendingBytes += piece.length
        at += piece.length
        if (pendingBytes >= RECORD_BYTES) await flush()
      }
    },
    flush,
    discard() {
      pending = []
      pendingBytes = 0
    },
  }
}

/** Bytes the origin may still store, from the storage estimate; undefined where there is none. */
export async function freeStorageBytes(): Promise<number | undefined> {
  const estimate = await globalThis.navigator?.storage?.estimate?.()
  if (!estimate || estimate.quota === undefined) return undefined
  return estimate.quota - (estimate.usage ?? 0)
}

/** Bytes missing for `size` more (with STORAGE_HEADROOM_BYTES) by the storage estimate; 0 when they fit. */
export async function storageShortfall(size: number): Promise<number> {
  const free = await freeStorageBytes()
  return free === undefined ? 0 : Math.max(0, size + STORAGE_HEADROOM_BYTES - free)
}

/** Refuses with `storage-full` when the origin's storage estimate has no room for `size` bytes. */
export async function checkRoom(size: number): Promise<void> {
  const missing = await storageShortfall(size)
  if (missing > 0) throw new FerryError('storage-full', `${size} bytes do not fit: ${missing} bytes of storage short`)
}

/** An IndexedDB failure as a FerryError: `storage-full` for a full quota, else `file-write-error`. */
export async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof FerryError) throw err
    const name = (err as DOMException | undefined)?.name
    if (name === 'QuotaExceededError') throw new FerryError('storage-full', 'IndexedDB is full')
    throw new FerryError('file-write-error', err instanceof Error ? err.message : String(err))
  }
}

/** A partial write whose page is gone, or (where that is unknown) that started over STALE_PARTIAL_MS ago. */
export function isAbandoned(partial: { owner: string; createdAt: number }, isAlive: IsAlive, now: number): boolean {
  return !(isAlive(partial.owner) ?? partial.createdAt >= now - STALE_PARTIAL_MS)
}

/** A random record id: 128 bits in hex. */
export function randomRecordId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return toHex(bytes)
}
