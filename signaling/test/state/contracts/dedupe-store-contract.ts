import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DedupeKey, DedupeStore } from '../../../src/state/dedupe-store.js'
import { type StoreFactory, testClock } from './store-factory.js'

const MINUTE_MS = 60_000

function key(mid: string, scope: DedupeKey['scope'] = 'message', from = 'alice'): DedupeKey {
  return { scope, from, mid }
}

/**
 * Registers the `DedupeStore` contract (see its doc) as tests named after `name`. `maxRecords` is the
 * bound the store was made with (MAX_DEDUPE_RECORDS by default).
 */
export function dedupeStoreContract(name: string, open: StoreFactory<DedupeStore>): void {
  test(`${name} DedupeStore: the first claim records, later ones get that record`, async (t) => {
    const clock = testClock()
    const dedupe = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    assert.equal(await dedupe.claim(key('m1'), '{"first":1}', expiresAt), undefined)
    assert.equal(await dedupe.claim(key('m1'), '{"second":2}', expiresAt), '{"first":1}')
    assert.equal(await dedupe.get(key('m1')), '{"first":1}')
    assert.equal(await dedupe.get(key('m2')), undefined)
  })

  test(`${name} DedupeStore: scope, sender and mid each tell records apart`, async (t) => {
    const clock = testClock()
    const dedupe = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    await dedupe.claim(key('m1'), 'message', expiresAt)
    assert.equal(await dedupe.claim(key('m1', 'file'), 'file', expiresAt), undefined)
    assert.equal(await dedupe.claim(key('m1', 'message', 'bob'), 'bob', expiresAt), undefined)
    assert.equal(await dedupe.get(key('m1')), 'message')
    assert.equal(await dedupe.get(key('m1', 'file')), 'file')
    assert.equal(await dedupe.get(key('m1', 'message', 'bob')), 'bob')
  })

  test(`${name} DedupeStore: an expired record is gone, and a claim then records anew`, async (t) => {
    const clock = testClock()
    const dedupe = await open(t, clock)
    await dedupe.claim(key('m1'), 'old', clock.now() + MINUTE_MS)
    clock.advance(MINUTE_MS)
    assert.equal(await dedupe.get(key('m1')), undefined)
    assert.equal(await dedupe.claim(key('m1'), 'new', clock.now() + MINUTE_MS), undefined)
    assert.equal(await dedupe.get(key('m1')), 'new')
  })

  test(`${name} DedupeStore: set replaces a record, live or not`, async (t) => {
    const clock = testClock()
    const dedupe = await open(t, clock)
    await dedupe.claim(key('m1'), 'pending', clock.now() + MINUTE_MS)
    await dedupe.set(key('m1'), 'done', clock.now() + 2 * MINUTE_MS)
    assert.equal(await dedupe.get(key('m1')), 'done')
    clock.advance(MINUTE_MS)
    assert.equal(await dedupe.claim(key('m1'), 'again', clock.now() + MINUTE_MS), 'done')
  })

  test(`${name} DedupeStore: concurrent claims of one key, exactly one records`, async (t) => {
    const clock = testClock()
    const dedupe = await open(t, clock)
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => dedupe.claim(key('race'), `claim-${i}`, clock.now() + MINUTE_MS)),
    )
    const winners = answers.filter((answer) => answer === undefined)
    assert.equal(winners.length, 1)
    const recorded = await dedupe.get(key('race'))
    assert.ok(answers.every((answer) => answer === undefined || answer === recorded))
  })
}

/**
 * The bound of a `DedupeStore`: past `maxRecords`, the oldest go first. Separate, since only a store
 * made with a small bound can be filled past it quickly.
 */
export function dedupeStoreBoundContract(name: string, open: StoreFactory<DedupeStore>, maxRecords: number): void {
  test(`${name} DedupeStore: past ${maxRecords} records the oldest go first; a set counts as new`, async (t) => {
    const clock = testClock()
    const dedupe = await open(t, clock)
    const expiresAt = clock.now() + MINUTE_MS
    for (let i = 0; i < maxRecords; i++) await dedupe.claim(key(`m${i}`), `v${i}`, expiresAt)
    await dedupe.set(key('m0'), 'renewed', expiresAt)
    await dedupe.claim(key('extra'), 'extra', expiresAt)
    assert.equal(await dedupe.get(key('m0')), 'renewed')
    assert.equal(await dedupe.get(key('m1')), undefined)
    assert.equal(await dedupe.get(key('m2')), 'v2')
    assert.equal(await dedupe.get(key('extra')), 'extra')
  })
}
