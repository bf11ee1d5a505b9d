import { FerryError } from '@ferry/protocol'
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'
import type { FileSink, IncomingFileInfo, ReceivedFile } from '../types.js'

/** The IndexedDB database holding received files; one object store of chunk records and metadata. */
export const FILES_DB = 'ferry-files'
const RECORDS_STORE = 'records'

/**
 * Received bytes are written in records of about this size: large enough that IndexedDB transactions
 * are few (one per MiB), small enough that the receiver never holds much before it is stored.
 */
const RECORD_BYTES = 1024 * 1024

/** Room kept free beyond the file itself when checking the storage estimate (IndexedDB overhead). */
const STORAGE_HEADROOM_BYTES = 16 * 1024 * 1024

/** Where no Web Locks API tells whether a partial file's page is alive, it is swept after this long. */
const STALE_PARTIAL_MS = 60 * 60 * 1000

/** A file kept in IndexedDB. `partial` while it arrives; only `complete` files are listed. */
export interface StoredFileMeta {
  id: string
  from: string
  /** The user who received it: a browser shared by several users keeps each one's files apart. */
  to: string
  name: string
  size: number
  mime: string
  sha256?: string
  state: 'partial' | 'complete'
  /** The page that is writing it (its Web Lock name), for sweeping partials of closed pages. */
  owner: string
  createdAt: number
}

type MetaKey = ['meta', string]
type PartKey = ['part', string, number]

let records: UseStore | undefined
function db(): UseStore {
  records ??= createStore(FILES_DB, RECORDS_STORE)
  return records
}

function metaKey(id: string): MetaKey {
  return ['meta', id]
}

function partRange(id: string): IDBKeyRange {
  return IDBKeyRange.bound(['part', id, 0], ['part', id, Number.POSITIVE_INFINITY])
}

/** Refuses with `storage-full` when the origin's storage estimate has no room for `size` bytes. */
export async function checkRoom(size: number): Promise<void> {
  const estimate = await globalThis.navigator?.storage?.estimate?.()
  if (!estimate || estimate.quota === undefined) return
  const free = estimate.quota - (estimate.usage ?? 0)
  if (size + STORAGE_HEADROOM_BYTES > free) {
    throw new FerryError('storage-full', `${size} bytes do not fit: ${free} bytes of storage are free`)
  }
}

/** A sink that streams an incoming file into IndexedDB as chunk records and delivers a Blob of them. */
export async function idbFileSink(info: IncomingFileInfo, owner: string): Promise<FileSink> {
  await checkRoom(info.size)
  const id = randomId()
  const meta: StoredFileMeta = {
    id,
    from: info.from,
    to: info.to,
    name: info.name,
    size: info.size,
    mime: info.mime,
    state: 'partial',
    owner,
    createdAt: Date.now(),
  }
  await write((store) => store.put(meta, metaKey(id)))
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  let seq = 0
  const flush = async () => {
    if (pendingBytes === 0) return
    const record = new Blob(pending as Uint8Array<ArrayBuffer>[])
    pending = []
    pendingBytes = 0
    const key: PartKey = ['part', id, seq++]
    await write((store) => store.put(record, key))
  }
  return {
    async write(data) {
      pending.push(data)
      pendingBytes += data.length
      if (pendingBytes >= RECORD_BYTES) await guard(flush())
    },
    async finish(sha256): Promise<ReceivedFile> {
      await guard(flush())
      await guard(write((store) => store.put({ ...meta, sha256, state: 'complete' }, metaKey(id))))
      const file = await loadStoredFile(id)
      if (!file) throw new FerryError('file-write-error', 'the stored file vanished')
      return file
    },
    async abort() {
      pending = []
      pendingBytes = 0
      await deleteStoredFile(id)
    },
  }
}

/** A complete stored file as a ReceivedFile whose Blob is assembled from its records (not read into memory). */
export async function loadStoredFile(id: string): Promise<ReceivedFile | undefined> {
  // Both requests are issued at once, inside the one transaction, before either is awaited.
  const [meta, parts] = await db()('readonly', (store) =>
    Promise.all([
      promisifyRequest(store.get(metaKey(id))) as Promise<StoredFileMeta | undefined>,
      promisifyRequest(store.getAll(partRange(id))) as Promise<Blob[]>,
    ]),
  )
  if (meta?.state !== 'complete') return undefined
  const blob = new Blob(parts, { type: meta.mime })
  return { id, name: meta.name, size: meta.size, mime: meta.mime, sha256: meta.sha256 ?? '', blob }
}

/** Complete files kept in IndexedDB, oldest first; only those received by `filter.to` when given. */
export async function listStoredFiles(filter: { to?: string } = {}): Promise<StoredFileMeta[]> {
  const metas = await allMetas()
  return metas
    .filter((meta) => meta.state === 'complete' && (filter.to === undefined || meta.to === filter.to))
    .sort((a, b) => a.createdAt - b.createdAt)
}

/** Removes a stored file (complete or partial) and all its records. */
export async function deleteStoredFile(id: string): Promise<void> {
  await write((store) => {
    store.delete(partRange(id))
    return store.delete(metaKey(id))
  })
}

/**
 * Removes partial files whose page is gone (closed or reloaded mid-transfer). `isAlive(owner)` says
 * whether an owner's page still runs, or is undefined where that cannot be known: such partials are
 * kept for STALE_PARTIAL_MS after they started.
 */
export async function sweepPartials(isAlive: (owner: string) => boolean | undefined): Promise<number> {
  let swept = 0
  const now = Date.now()
  for (const meta of await allMetas()) {
    if (meta.state !== 'partial') continue
    const alive = isAlive(meta.owner) ?? meta.createdAt >= now - STALE_PARTIAL_MS
    if (alive) continue
    await deleteStoredFile(meta.id)
    swept++
  }
  return swept
}

async function allMetas(): Promise<StoredFileMeta[]> {
  const range = IDBKeyRange.bound(['meta', ''], ['meta', '\uffff'])
  return db()('readonly', (store) => promisifyRequest(store.getAll(range)) as Promise<StoredFileMeta[]>)
}

function write(action: (store: IDBObjectStore) => IDBRequest): Promise<void> {
  return db()('readwrite', (store) => {
    action(store)
    return promisifyRequest(store.transaction)
  })
}

async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof FerryError) throw err
    const name = (err as DOMException | undefined)?.name
    if (name === 'QuotaExceededError') throw new FerryError('storage-full', 'IndexedDB is full')
    throw new FerryError('file-write-error', err instanceof Error ? err.message : String(err))
  }
}

function randomId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
