import 'fake-indexeddb/auto'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, test } from 'node:test'
import wrtc from '@roamhq/wrtc'
import { browserPlatform, type FerryClient, listStoredFiles } from '../src/index.js'
import { type Harness, harness, next, sha256 } from './helpers.js'

// The browser platform's receive path (IndexedDB records) driven by real transfers, with Node's
// WebRTC standing in for the browser's and fake-indexeddb for IndexedDB.
let h: Harness
let alice: FerryClient
let browser: FerryClient

before(async () => {
  h = await harness()
  alice = await h.client('alice')
  browser = await h.client('browser', { platform: { ...browserPlatform({ storage: 'indexeddb' }), wrtc } })
})
after(() => h.close())

test('a file received by the browser platform is stored in IndexedDB and delivered as a Blob', async () => {
  const bytes = randomBytes(6 * 1024 * 1024 + 99)
  const received = next(browser, 'file')
  await alice.sendFile('browser', new Blob([bytes]), { name: 'pic.jpg', mime: 'image/jpeg' }).done
  const { file } = await received
  assert.equal(file.mime, 'image/jpeg')
  assert.equal(file.blob?.type, 'image/jpeg')
  assert.equal(sha256(new Uint8Array(await file.blob!.arrayBuffer())), sha256(bytes))
  assert.ok((await listStoredFiles()).some((m) => m.id === file.id))
})

test('a transfer cancelled by the browser receiver leaves no partial records', async () => {
  const before = (await listStoredFiles()).length
  const task = alice.sendFile('browser', new Blob([randomBytes(48 * 1024 * 1024)]), { name: 'big.bin' })
  await next(browser, 'receive-progress', (p) => p.taskId === task.id)
  browser.cancelReceive('alice', task.id)
  await assert.rejects(task.done, { code: 'cancelled' })
  // Partials are not listed; a sweep with every owner dead finds none left either.
  const { sweepPartials } = await import('../src/browser/idb-file-store.js')
  await new Promise((resolve) => setTimeout(resolve, 200))
  assert.equal(await sweepPartials(() => false), 0)
  assert.equal((await listStoredFiles()).length, before)
})

test('a file that would not fit in storage fails with storage-full on both ends', async () => {
  Object.defineProperty(globalThis, 'navigator', {
    value: { storage: { estimate: async () => ({ quota: 64e6, usage: 60e6 }) } },
    configurable: true,
  })
  try {
    const failed = next(browser, 'receive-failed')
    const task = alice.sendFile('browser', new Blob([new Uint8Array(8 * 1024 * 1024)]), { name: 'huge.bin' })
    await assert.rejects(task.done, { code: 'storage-full' })
    assert.equal((await failed).code, 'storage-full')
  } finally {
    Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true })
  }
})
