import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FileTokenStore, StoredGrant } from '../../../src/state/file-token-store.js'
import { type StoreFactory, testClock } from './store-factory.js'

const MINUTE_MS = 60_000
const ROOMY = 1000

function grant(expiresAt: number, to = 'bob'): StoredGrant {
  return { from: 'alice', cmd: 'sendfile', target: { to }, expiresAt }
}

/** Registers the `FileTokenStore` contract (see its doc) as tests named after `name`. */
export function fileTokenStoreContract(name: string, open: StoreFactory<FileTokenStore>): void {
  test(`${name} FileTokenStore: take gives the grant once`, async (t) => {
    const clock = testClock()
    const tokens = await open(t, clock)
    const kept = grant(clock.now() + MINUTE_MS)
    await tokens.put('hash-1', kept, ROOMY)
    const group: StoredGrant = { from: 'alice', cmd: 'sendgroupfile', target: { gid: 'team' }, expiresAt: 1 }
    await tokens.put('hash-2', { ...group, expiresAt: clock.now() + MINUTE_MS }, ROOMY)
    const users: StoredGrant = { from: 'alice', cmd: 'sendfiles', target: { tos: ['bob', 'carol'] }, expiresAt: 1 }
    await tokens.put('hash-3', { ...users, expiresAt: clock.now() + MINUTE_MS }, ROOMY)
    assert.deepEqual(await tokens.take('hash-1'), kept)
    assert.equal(await tokens.take('hash-1'), undefined)
    assert.deepEqual(await tokens.take('hash-2'), { ...group, expiresAt: clock.now() + MINUTE_MS })
    assert.deepEqual(await tokens.take('hash-3'), { ...users, expiresAt: clock.now() + MINUTE_MS })
    assert.equal(await tokens.take('unknown'), undefined)
  })

  test(`${name} FileTokenStore: take gives an expired grant too, which its caller refuses`, async (t) => {
    const clock = testClock()
    const tokens = await open(t, clock)
    const kept = grant(clock.now() + MINUTE_MS)
    await tokens.put('hash-1', kept, ROOMY)
    clock.advance(2 * MINUTE_MS)
    assert.deepEqual(await tokens.take('hash-1'), kept)
    assert.equal(await tokens.take('hash-1'), undefined)
  })

  test(`${name} FileTokenStore: a put drops the grants expired by then`, async (t) => {
    const clock = testClock()
    const tokens = await open(t, clock)
    await tokens.put('expires', grant(clock.now() + MINUTE_MS), ROOMY)
    await tokens.put('lasts', grant(clock.now() + 3 * MINUTE_MS), ROOMY)
    clock.advance(MINUTE_MS)
    await tokens.put('fresh', grant(clock.now() + MINUTE_MS), ROOMY)
    assert.equal(await tokens.take('expires'), undefined)
    assert.equal((await tokens.take('lasts'))?.expiresAt, clock.now() + 2 * MINUTE_MS)
    assert.equal((await tokens.take('fresh'))?.expiresAt, clock.now() + MINUTE_MS)
  })

  test(`${name} FileTokenStore: past maxTokens the oldest go first`, async (t) => {
    const clock = testClock()
    const tokens = await open(t, clock)
    for (let i = 0; i < 5; i++) await tokens.put(`hash-${i}`, grant(clock.now() + MINUTE_MS, `user-${i}`), 3)
    assert.equal(await tokens.take('hash-0'), undefined)
    assert.equal(await tokens.take('hash-1'), undefined)
    for (let i = 2; i < 5; i++) assert.equal((await tokens.take(`hash-${i}`))?.target.to, `user-${i}`)
  })

  test(`${name} FileTokenStore: concurrent takes of one token, exactly one gets it`, async (t) => {
    const clock = testClock()
    const tokens = await open(t, clock)
    await tokens.put('hash-1', grant(clock.now() + MINUTE_MS), ROOMY)
    const taken = await Promise.all(Array.from({ length: 10 }, () => tokens.take('hash-1')))
    assert.equal(taken.filter((g) => g !== undefined).length, 1)
  })
}
