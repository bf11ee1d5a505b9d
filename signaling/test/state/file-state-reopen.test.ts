import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeliveryMeta } from '@ferry/protocol'
import { fileState } from '../../src/state/file/file-state.js'
import { LmdbDedupeStore } from '../../src/state/file/lmdb-dedupe-store.js'
import { LmdbInboxStore } from '../../src/state/file/lmdb-inbox-store.js'
import { openStateDb } from '../../src/state/file/state-db.js'
import type { KeptDelivery } from '../../src/state/inbox-store.js'
import { testClock } from './contracts/store-factory.js'
import { stateDir } from './state-dir.js'

const MINUTE_MS = 60_000

function entry(mid: string): KeptDelivery {
  const meta: DeliveryMeta = {
    mid,
    mtime: 1_700_000_000_000,
    from: 'alice',
    mtype: 30,
    attrs: '',
    target: { type: 'user' },
    offline: true,
  }
  return { meta, message: new Uint8Array([9, 8, 7]) }
}

const grant = (expiresAt: number) => ({ from: 'alice', cmd: 'sendfile' as const, target: { to: 'bob' }, expiresAt })

test('file state closed and opened again on the same directory holds everything it held', async (t) => {
  const dir = await stateDir(t)
  const clock = testClock()
  const expiresAt = clock.now() + MINUTE_MS
  const before = fileState(dir, { now: clock.now })
  await before.groups.create('team', ['alice', 'bob'])
  await before.groups.create('other', ['carol'])
  for (const mid of ['m1', 'm2', 'm3']) await before.inbox.put('bob', entry(mid), expiresAt, 3)
  await before.dedupe.claim({ scope: 'message', from: 'alice', mid: 'm1' }, '{"mid":"m1","mtime":1}', expiresAt)
  await before.fileTokens.put('token-hash', grant(expiresAt), 10)
  await before.close()
  await before.close()

  const after = fileState(dir, { now: clock.now })
  t.after(() => after.close())
  assert.deepEqual(await after.groups.list(), [
    { gid: 'other', members: ['carol'] },
    { gid: 'team', members: ['alice', 'bob'] },
  ])
  assert.equal(await after.inbox.count('bob'), 3)
  const dedupeKey = { scope: 'message', from: 'alice', mid: 'm1' } as const
  assert.equal(await after.dedupe.claim(dedupeKey, 'second', expiresAt), '{"mid":"m1","mtime":1}')
  assert.deepEqual(await after.fileTokens.take('token-hash'), grant(expiresAt))
  // The order and the bound carry on where they were: one more entry pushes out the oldest.
  await after.inbox.put('bob', entry('m4'), expiresAt, 3)
  const kept = await after.inbox.list('bob', clock.now())
  assert.deepEqual(
    kept.map(({ meta }) => meta.mid),
    ['m2', 'm3', 'm4'],
  )
  assert.deepEqual([...(kept[0]?.message ?? [])], [9, 8, 7])
})

test('unreadable records on disk are skipped and logged, never thrown', async (t) => {
  const dir = await stateDir(t)
  const clock = testClock()
  const expiresAt = clock.now() + MINUTE_MS
  const first = fileState(dir, { now: clock.now })
  await first.groups.create('team', ['alice'])
  await first.groups.create('fine', ['bob'])
  for (const mid of ['m1', 'm2', 'm3']) await first.inbox.put('bob', entry(mid), expiresAt, 10)
  await first.dedupe.claim({ scope: 'message', from: 'alice', mid: 'm1' }, 'receipt', expiresAt)
  await first.fileTokens.put('token-hash', grant(expiresAt), 10)
  await first.close()

  const db = openStateDb(dir)
  const garbage = Buffer.from([0xff, 0x00, 0x13])
  await db.transaction(() => {
    db.table('groups').putSync('team', garbage)
    db.table('inbox').putSync(['bob', 'alice', 'm2'], garbage)
    db.table('dedupe').putSync(['message', 'alice', 'm1'], garbage)
    const token = db.table('tokens').get('token-hash')
    // A readable header, a payload that is no grant.
    if (token !== undefined) db.table('tokens').putSync('token-hash', Buffer.concat([token.subarray(0, 16), garbage]))
  })
  await db.root.close()

  const warnings: string[] = []
  const reopened = fileState(dir, { now: clock.now, logger: { info() {}, warn: (m) => warnings.push(m) } })
  t.after(() => reopened.close())
  assert.equal(await reopened.groups.get('team'), undefined)
  assert.deepEqual(await reopened.groups.list(), [{ gid: 'fine', members: ['bob'] }])
  assert.deepEqual(
    (await reopened.inbox.list('bob', clock.now())).map(({ meta }) => meta.mid),
    ['m1', 'm3'],
  )
  assert.equal(await reopened.inbox.count('bob'), 2)
  assert.equal(await reopened.dedupe.get({ scope: 'message', from: 'alice', mid: 'm1' }), undefined)
  assert.equal(await reopened.fileTokens.take('token-hash'), undefined)
  assert.ok(warnings.some((w) => /group team/.test(w)))
  assert.ok(warnings.some((w) => /inbox record/.test(w)))
  assert.ok(warnings.some((w) => /dedupe record/.test(w)))
  assert.ok(warnings.some((w) => /file token grant/.test(w)))
  // The store keeps working over what it skipped.
  assert.equal(await reopened.groups.delete('team'), true)
  assert.equal(await reopened.groups.create('team', ['carol']), true)
  assert.equal(await reopened.dedupe.claim({ scope: 'message', from: 'alice', mid: 'm1' }, 'new', expiresAt), undefined)
})

test('a sweep removes expired inbox entries of users who never list them, and expired dedupe records', async (t) => {
  const dir = await stateDir(t)
  const clock = testClock()
  const db = openStateDb(dir)
  t.after(() => db.root.close())
  const inbox = new LmdbInboxStore(db, () => {})
  const dedupe = new LmdbDedupeStore(db, () => {}, clock.now)
  const users = Array.from({ length: 300 }, (_, i) => `user-${i}`)
  for (const user of users) await inbox.put(user, entry('m1'), clock.now() + MINUTE_MS, 10)
  await inbox.put('stays', entry('m1'), clock.now() + 3 * MINUTE_MS, 10)
  for (let i = 0; i < 300; i++)
    await dedupe.claim({ scope: 'file', from: 'alice', mid: `m${i}` }, 'r', clock.now() + MINUTE_MS)
  await dedupe.claim({ scope: 'file', from: 'alice', mid: 'stays' }, 'r', clock.now() + 3 * MINUTE_MS)
  clock.advance(MINUTE_MS)

  let after: string[] | undefined
  do after = await inbox.sweep(clock.now(), after, 100)
  while (after !== undefined)
  while ((await dedupe.sweep(100)) === 100) {}

  for (const user of users) assert.equal(await inbox.count(user), 0, user)
  assert.equal(await inbox.count('stays'), 1)
  assert.equal(await dedupe.get({ scope: 'file', from: 'alice', mid: 'stays' }), 'r')
  // Nothing is left of what expired: an empty walk finds no user and no record.
  assert.deepEqual(await inbox.sweep(clock.now(), undefined, 1000), undefined)
  assert.equal(await dedupe.sweep(1000), 0)
  assert.deepEqual(db.table('dedupe').getCount(), 1)
  assert.deepEqual(db.table('inbox').getCount(), 1)
})
