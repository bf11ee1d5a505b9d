import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DeliveryMeta } from '@ferry/protocol'
import type { InboxStore, KeptDelivery } from '../../../src/state/inbox-store.js'
import { type StoreFactory, testClock } from './store-factory.js'

const MINUTE_MS = 60_000
/** Room for every entry a test puts: the bound is tested on its own. */
const ROOMY = 1000

function entry(mid: string, from = 'alice', bytes: number[] = [1, 2, 3]): KeptDelivery {
  const meta: DeliveryMeta = {
    mid,
    mtime: 1_700_000_000_000,
    from,
    mtype: 30,
    attrs: `{"n":"${mid}"}`,
    target: { type: 'group', gid: 'team' },
    offline: true,
  }
  return { meta, message: new Uint8Array(bytes) }
}

function mids(kept: readonly KeptDelivery[]): string[] {
  return kept.map(({ meta }) => meta.mid)
}

/** Registers the `InboxStore` contract (see its doc) as tests named after `name`. */
export function inboxStoreContract(name: string, open: StoreFactory<InboxStore>): void {
  test(`${name} InboxStore: list gives a user's entries oldest first, meta and bytes as put`, async (t) => {
    const clock = testClock()
    const inbox = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    const first = entry('m1', 'alice', [0, 255, 7])
    await inbox.put('bob', first, expiresAt, ROOMY)
    await inbox.put('bob', entry('m2', 'carol'), expiresAt, ROOMY)
    await inbox.put('bob', entry('m0'), expiresAt, ROOMY)
    await inbox.put('dave', entry('m9'), expiresAt, ROOMY)
    const kept = await inbox.list('bob', clock.now())
    assert.deepEqual(mids(kept), ['m1', 'm2', 'm0'])
    assert.deepEqual(kept[0]?.meta, first.meta)
    assert.deepEqual([...(kept[0]?.message ?? [])], [0, 255, 7])
    assert.equal(await inbox.count('bob'), 3)
    assert.deepEqual(mids(await inbox.list('dave', clock.now())), ['m9'])
    assert.deepEqual(await inbox.list('nobody', clock.now()), [])
    assert.equal(await inbox.count('nobody'), 0)
  })

  test(`${name} InboxStore: a second put of the same (from, mid) changes nothing`, async (t) => {
    const clock = testClock()
    const inbox = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    await inbox.put('bob', entry('m1', 'alice', [1]), expiresAt, ROOMY)
    await inbox.put('bob', entry('m2'), expiresAt, ROOMY)
    await inbox.put('bob', entry('m1', 'alice', [2]), expiresAt, ROOMY)
    await inbox.put('bob', entry('m1', 'carol', [3]), expiresAt, ROOMY)
    const kept = await inbox.list('bob', clock.now())
    assert.deepEqual(
      kept.map(({ meta, message }) => `${meta.from}/${meta.mid}/${[...message]}`),
      ['alice/m1/1', 'alice/m2/1,2,3', 'carol/m1/3'],
    )
  })

  test(`${name} InboxStore: past maxPerUser the oldest are dropped`, async (t) => {
    const clock = testClock()
    const inbox = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    for (let i = 0; i < 5; i++) await inbox.put('bob', entry(`m${i}`), expiresAt, 3)
    await inbox.put('carol', entry('c0'), expiresAt, 3)
    assert.equal(await inbox.count('bob'), 3)
    assert.deepEqual(mids(await inbox.list('bob', clock.now())), ['m2', 'm3', 'm4'])
    assert.deepEqual(mids(await inbox.list('carol', clock.now())), ['c0'])
  })

  test(`${name} InboxStore: expired entries are left out of list and gone after it`, async (t) => {
    const clock = testClock()
    const inbox = await open(t, clock)
    await inbox.put('bob', entry('soon'), clock.now() + MINUTE_MS, ROOMY)
    await inbox.put('bob', entry('later'), clock.now() + 3 * MINUTE_MS, ROOMY)
    assert.equal(await inbox.count('bob'), 2)
    clock.advance(MINUTE_MS)
    assert.deepEqual(mids(await inbox.list('bob', clock.now())), ['later'])
    assert.equal(await inbox.count('bob'), 1)
    assert.deepEqual(mids(await inbox.list('bob', clock.now() + 3 * MINUTE_MS)), [])
    assert.equal(await inbox.count('bob'), 0)
  })

  test(`${name} InboxStore: ack removes the named entries and counts those that were there`, async (t) => {
    const clock = testClock()
    const inbox = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    for (const mid of ['m1', 'm2', 'm3']) await inbox.put('bob', entry(mid), expiresAt, ROOMY)
    const acked = await inbox.ack('bob', [
      { from: 'alice', mid: 'm1' },
      { from: 'alice', mid: 'm3' },
      { from: 'alice', mid: 'unknown' },
      { from: 'carol', mid: 'm2' },
    ])
    assert.equal(acked, 2)
    assert.deepEqual(mids(await inbox.list('bob', clock.now())), ['m2'])
    assert.equal(await inbox.ack('nobody', [{ from: 'alice', mid: 'm2' }]), 0)
    assert.equal(await inbox.ack('bob', [{ from: 'alice', mid: 'm2' }]), 1)
    assert.equal(await inbox.count('bob'), 0)
    await inbox.put('bob', entry('m1'), expiresAt, ROOMY)
    assert.deepEqual(mids(await inbox.list('bob', clock.now())), ['m1'])
  })

  test(`${name} InboxStore: concurrent puts to one user all land, within the bound`, async (t) => {
    const clock = testClock()
    const inbox = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    await Promise.all(Array.from({ length: 30 }, (_, i) => inbox.put('bob', entry(`m${i}`), expiresAt, 25)))
    assert.equal(await inbox.count('bob'), 25)
    assert.equal(new Set(mids(await inbox.list('bob', clock.now()))).size, 25)
  })
}
