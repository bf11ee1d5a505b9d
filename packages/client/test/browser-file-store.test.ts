import 'fake-indexeddb/auto'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { afterEach, test } from 'node:test'
import { idbFileSink, sweepPartials } from '../src/browser/idb-file-store.js'
import { deleteStoredFile, FILES_DB, listStoredFiles, loadStoredFile } from '../src/index.js'
import { sha256 } from './helpers.js'

const info = { from: 'alice', to: 'bob', taskId: '1', name: 'a.bin', size: 0, mime: 'application/octet-stream' }

/** Every record in the files database, counted the way a user's devtools would. */
function recordCount(): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(FILES_DB)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const db = open.result
      const names = [...db.objectStoreNames]
      if (names.length === 0) {
        db.close()
        return resolve(0)
      }
      const tx = db.transaction(names, 'readonly')
      let total = 0
      for (const name of names) {
        const count = tx.objectStore(name).count()
        count.onsuccess = () => {
          total += count.result
        }
      }
      tx.oncomplete = () => {
        db.close()
        resolve(total)
      }
    }
  })
}

function setNavigator(value: unknown): void {
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true })
}

afterEach(async () => {
  for (const meta of await listStoredFiles()) await deleteStoredFile(meta.id)
  setNavigator(undefined)
})

test('a file written in chunks comes back as one Blob with the same bytes, and is listed until deleted', async () => {
  const bytes = randomBytes(3 * 1024 * 1024 + 1234)
  const sink = await idbFileSink({ ...info, size: bytes.length }, 'owner-a')
  for (let at = 0; at < bytes.length; at += 256 * 1024) await sink.write(bytes.subarray(at, at + 256 * 1024))
  const file = await sink.finish(sha256(bytes))
  assert.equal(file.size, bytes.length)
  assert.equal(sha256(new Uint8Array(await file.blob!.arrayBuffer())), sha256(bytes))
  assert.deepEqual(
    (await listStoredFiles()).map((m) => [m.id, m.name, m.state]),
    [[file.id, 'a.bin', 'complete']],
  )
  assert.deepEqual(await listStoredFiles({ to: 'carol' }), [], "another user's files are not listed")
  assert.equal((await listStoredFiles({ to: 'bob' })).length, 1)
  const again = await loadStoredFile(file.id!)
  assert.equal(again?.sha256, sha256(bytes))
  await deleteStoredFile(file.id!)
  assert.equal(await recordCount(), 0)
})

test('an aborted file leaves no record behind', async () => {
  const sink = await idbFileSink({ ...info, size: 5 * 1024 * 1024 }, 'owner-a')
  for (let i = 0; i < 12; i++) await sink.write(new Uint8Array(256 * 1024))
  assert.ok((await recordCount()) > 1)
  await sink.abort()
  assert.equal(await recordCount(), 0)
})

test('partials of pages that are gone are swept; live pages and complete files are kept', async () => {
  const dead = await idbFileSink({ ...info, size: 4 * 1024 * 1024 }, 'page-dead')
  await dead.write(new Uint8Array(2 * 1024 * 1024))
  const live = await idbFileSink({ ...info, size: 4 * 1024 * 1024 }, 'page-live')
  await live.write(new Uint8Array(2 * 1024 * 1024))
  const done = await idbFileSink({ ...info, size: 3 }, 'page-dead')
  await done.write(new Uint8Array([1, 2, 3]))
  const file = await done.finish('00')
  const swept = await sweepPartials((owner) => owner === 'page-live')
  assert.equal(swept, 1)
  assert.deepEqual(
    (await listStoredFiles()).map((m) => m.id),
    [file.id],
  )
  await live.abort()
  await deleteStoredFile(file.id!)
  assert.equal(await recordCount(), 0)
})

test('where liveness is unknown, only partials older than an hour are swept', async () => {
  const sink = await idbFileSink({ ...info, size: 10 }, 'page-unknown')
  await sink.write(new Uint8Array(10))
  assert.equal(await sweepPartials(() => undefined), 0)
  await sink.abort()
})

test('a file larger than the free storage is refused with storage-full before anything is written', async () => {
  setNavigator({ storage: { estimate: async () => ({ quota: 100e6, usage: 50e6 }) } })
  await assert.rejects(idbFileSink({ ...info, size: 45e6 }, 'owner-a'), { code: 'storage-full' })
  assert.equal(await recordCount(), 0)
  await idbFileSink({ ...info, size: 1000 }, 'owner-a').then((s) => s.abort())
})
