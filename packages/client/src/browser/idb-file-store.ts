import { FerryError } from '@ferry/protocol'
import { promisifyRequest } from 'idb-keyval'
import type { FileSink, IncomingFileInfo, ReceivedFile } from '../types.js'
import {
  checkRoom,
  guard,
  type IsAlive,
  isAbandoned,
  kindRange,
  partRange,
  partWriter,
  randomRecordId,
  readAll,
  recordsDb,
  writeRecords,
} from './idb-records.js'

/** The IndexedDB database holding received files; one object store of chunk records and metadata. */
export const FILES_DB = 'ferry-files'

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

const db = recordsDb(FILES_DB)

function metaKey(id: string): ['meta', string] {
  return ['meta', id]
}

/** A sink that streams an incoming file into IndexedDB as chunk records and delivers a Blob of them. */
export async function idbFileSink(info: IncomingFileInfo, owner: string): Promise<FileSink> {
  await checkRoom(info.size)
  const id = randomRecordId()
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
  await guard(writeRecords(db(), (store) => store.put(meta, metaKey(id))))
  const parts = partWriter(db(), id)
  return {
    write: (data) => parts.write(data),
    async finish(sha256): Promise<ReceivedFile> {
      await parts.flush()
      await guard(writeRecords(db(), (store) => store.put({ ...meta, sha256, state: 'complete' }, metaKey(id))))
      const file = await loadStoredFile(id)
      if (!file) throw new FerryError('file-write-error', 'the stored file vanished')
      return file
    },
    async abort() {
      parts.discard()
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
  const metas = await readAll<StoredFileMeta>(db(), kindRange('meta'))
  return metas
    .filter((meta) => meta.state === 'complete' && (filter.to === undefined || meta.to === filter.to))
    .sort((a, b) => a.createdAt - b.createdAt)
}

/** Removes a stored file (complete or partial) and all its records. */
export async function deleteStoredFile(id: string): Promise<void> {
  await writeRecords(db(), (store) => {
    store.delete(partRange(id))
    store.delete(metaKey(id))
  })
}

/**
 * Removes partial files whose page is gone (closed or reloaded mid-transfer). `isAlive(owner)` says
 * whether an owner's page still runs, or is undefined where that cannot be known: such partials are
 * kept for an hour after they started.
 */
export async function sweepPartials(isAlive: IsAlive): Promise<number> {
  let swept = 0
  const now = Date.now()
  for (const meta of await readAll<StoredFileMeta>(db(), kindRange('meta'))) {
    if (meta.state !== 'partial' || !isAbandoned(meta, isAlive, now)) continue
    await deleteStoredFile(meta.id)
    swept++
  }
  return swept
}
