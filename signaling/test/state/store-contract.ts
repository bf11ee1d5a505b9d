import assert from 'node:assert/strict'
import type { DeliveryMeta } from '@ferry/protocol'
import type { GroupStore } from '../../src/groups/group-store.js'
import type { SessionStore } from '../../src/session-store.js'
import type { DedupeStore } from '../../src/state/dedupe-store.js'
import type { FileTokenStore, StoredGrant } from '../../src/state/file-token-store.js'
import type { InboxStore, KeptDelivery } from '../../src/state/inbox-store.js'

/**
 * One contract per store interface, written against the interface's doc. Each takes a factory that
 * makes a fresh, empty store (or two stores over the same backing, for what several nodes share),
 * and registers its cases with `test`.
 */
type Test = (name: string, fn: () => Promise<void>) => void

/** Long past any test run: entries that must stay live. */
const LATER_MS = 60 * 60 * 1000

export function sessionContract(test: Test, make: () => Promise<[SessionStore, SessionStore]>): void {
  test('sessions: the newest claim owns the user and names the socket it replaced', async () => {
    const [a, b] = await make()
    assert.equal(await a.claim('alice', 'socket-1'), undefined)
    assert.equal(await b.owner('alice'), 'socket-1')
    assert.equal(await b.claim('alice', 'socket-2'), 'socket-1')
    assert.equal(await a.owner('alice'), 'socket-2')
    assert.equal(await b.claim('alice', 'socket-2'), undefined, 'a socket does not replace itself')
    assert.equal(await a.isOnline('alice'), true)
  })

  test('sessions: a replaced socket releasing changes nothing; the owner releasing goes offline', async () => {
    const [a, b] = await make()
    await a.claim('alice', 'socket-1')
    await b.claim('alice', 'socket-2')
    assert.equal(await a.release('alice', 'socket-1'), false)
    assert.equal(await a.isOnline('alice'), true)
    assert.equal(await b.release('alice', 'socket-2'), true)
    assert.equal(await a.isOnline('alice'), false)
    assert.equal(await a.owner('alice'), undefined)
    assert.equal(await b.release('alice', 'socket-2'), false)
  })

  test('sessions: list and count see every store’s users once', async () => {
    const [a, b] = await make()
    await a.claim('alice', 'socket-1')
    await b.claim('bob', 'socket-2')
    await b.claim('alice', 'socket-3')
    assert.deepEqual((await a.list()).sort(), ['alice', 'bob'])
    assert.equal(await b.count(), 2)
  })

  test('sessions: concurrent claims of one user leave exactly one owner, and each other claim names a replaced socket', async () => {
    const [a, b] = await make()
    const sockets = Array.from({ length: 20 }, (_, i) => `socket-${i}`)
    const previous = await Promise.all(sockets.map((s, i) => (i % 2 ? a : b).claim('carol', s)))
    const owner = await a.owner('carol')
    assert.ok(owner !== undefined && sockets.includes(owner))
    assert.equal(previous.filter((p) => p === undefined).length, 1, 'only the first claim found no one')
    assert.deepEqual(new Set(previous.filter((p) => p !== undefined)), new Set(sockets.filter((s) => s !== owner)))
  })
}

export function groupContract(test: Test, make: () => Promise<GroupStore>): void {
  const sorted = (group: { gid: string; members: string[] } | undefined) =>
    group && { gid: group.gid, members: [...group.members].sort() }

  test('groups: create, get, list by gid, delete', async () => {
    const groups = await make()
    assert.equal(await groups.create('team', ['bob', 'alice']), true)
    assert.equal(await groups.create('team', ['carol']), false, 'an existing group is left as it is')
    assert.equal(await groups.create('empty', []), true)
    assert.deepEqual(sorted(await groups.get('team')), { gid: 'team', members: ['alice', 'bob'] })
    assert.deepEqual(await groups.get('empty'), { gid: 'empty', members: [] })
    assert.deepEqual((await groups.list()).map(sorted), [
      { gid: 'empty', members: [] },
      { gid: 'team', members: ['alice', 'bob'] },
    ])
    assert.equal(await groups.delete('team'), true)
    assert.equal(await groups.delete('team'), false)
    assert.equal(await groups.get('team'), undefined)
    assert.deepEqual(
      (await groups.list()).map((g) => g.gid),
      ['empty'],
    )
  })

  test('groups: update adds then removes, all or nothing past the bound', async () => {
    const groups = await make()
    assert.equal(await groups.update('nope', ['a'], [], 10), undefined)
    await groups.create('team', ['alice', 'bob'])
    assert.deepEqual(sorted((await groups.update('team', ['carol', 'dave'], ['bob', 'dave'], 10)) as never), {
      gid: 'team',
      members: ['alice', 'carol'],
    })
    assert.deepEqual(await groups.update('team', ['x', 'y'], [], 3), { tooMany: 4 })
    assert.deepEqual(sorted(await groups.get('team')), { gid: 'team', members: ['alice', 'carol'] })
  })

  test('groups: concurrent updates lose no member', async () => {
    const groups = await make()
    await groups.create('crowd', [])
    const users = Array.from({ length: 30 }, (_, i) => `user-${i}`)
    await Promise.all(users.map((user) => groups.update('crowd', [user], [], 100)))
    assert.deepEqual(sorted(await groups.get('crowd'))?.members, [...users].sort())
  })
}

function kept(from: string, mid: string, text = mid): KeptDelivery {
  const meta: DeliveryMeta = {
    mid,
    mtime: 1,
    from,
    mtype: 30,
    attrs: '',
    target: { type: 'group', gid: 'team' },
    offline: true,
  }
  return { meta, message: new TextEncoder().encode(text) }
}

export function inboxContract(test: Test, make: () => Promise<InboxStore>): void {
  const mids = (entries: KeptDelivery[]) => entries.map((e) => `${e.meta.from}/${e.meta.mid}`)

  test('inbox: entries come back oldest first, bytes and envelope intact, each (from, mid) once', async () => {
    const inbox = await make()
    const later = Date.now() + LATER_MS
    await inbox.put('bob', kept('alice', 'm1', 'first'), later, 10)
    await inbox.put('bob', kept('carol', 'm1'), later, 10)
    await inbox.put('bob', kept('alice', 'm0'), later, 10)
    await inbox.put('bob', kept('alice', 'm1', 'again'), later, 10)
    const entries = await inbox.list('bob', Date.now())
    assert.deepEqual(mids(entries), ['alice/m1', 'carol/m1', 'alice/m0'])
    assert.deepEqual(entries[0], kept('alice', 'm1', 'first'))
    assert.equal(await inbox.count('bob'), 3)
    assert.deepEqual(await inbox.list('carol', Date.now()), [])
  })

  test('inbox: past the bound the oldest go', async () => {
    const inbox = await make()
    const later = Date.now() + LATER_MS
    for (let i = 0; i < 5; i++) await inbox.put('bob', kept('alice', `m${i}`), later, 3)
    assert.deepEqual(mids(await inbox.list('bob', Date.now())), ['alice/m2', 'alice/m3', 'alice/m4'])
  })

  test('inbox: ack removes the named entries and counts them', async () => {
    const inbox = await make()
    const later = Date.now() + LATER_MS
    for (let i = 0; i < 3; i++) await inbox.put('bob', kept('alice', `m${i}`), later, 10)
    const keys = [
      { from: 'alice', mid: 'm0' },
      { from: 'alice', mid: 'm2' },
      { from: 'alice', mid: 'none' },
    ]
    assert.equal(await inbox.ack('bob', keys), 2)
    assert.equal(await inbox.ack('bob', keys), 0)
    assert.deepEqual(mids(await inbox.list('bob', Date.now())), ['alice/m1'])
    assert.equal(await inbox.ack('nobody', keys), 0)
  })

  test('inbox: entries expired at `now` are not listed, and leave', async () => {
    const inbox = await make()
    const now = Date.now()
    await inbox.put('bob', kept('alice', 'short'), now + 1000, 10)
    await inbox.put('bob', kept('alice', 'long'), now + LATER_MS, 10)
    assert.deepEqual(mids(await inbox.list('bob', now)), ['alice/short', 'alice/long'])
    assert.deepEqual(mids(await inbox.list('bob', now + 1000)), ['alice/long'])
    assert.equal(await inbox.count('bob'), 1)
  })
}

export function dedupeContract(test: Test, make: () => Promise<DedupeStore>): void {
  const key = { scope: 'message', from: 'alice', mid: 'm1' } as const

  test('dedupe: the first claim records, later claims get the first value', async () => {
    const dedupe = await make()
    const later = Date.now() + LATER_MS
    assert.equal(await dedupe.claim(key, 'first', later), undefined)
    assert.equal(await dedupe.claim(key, 'second', later), 'first')
    assert.equal(await dedupe.get(key), 'first')
    assert.equal(await dedupe.get({ ...key, scope: 'file' }), undefined, 'scopes are apart')
    await dedupe.set(key, 'replaced', later)
    assert.equal(await dedupe.get(key), 'replaced')
  })

  test('dedupe: concurrent claims of one key record one value', async () => {
    const dedupe = await make()
    const later = Date.now() + LATER_MS
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => dedupe.claim(key, `v${i}`, later)))
    const winners = answers.filter((a) => a === undefined)
    assert.equal(winners.length, 1)
    const recorded = await dedupe.get(key)
    assert.ok(answers.every((a) => a === undefined || a === recorded))
  })

  test('dedupe: an expired record is gone and can be claimed again', async () => {
    const dedupe = await make()
    assert.equal(await dedupe.claim(key, 'old', Date.now() - 1), undefined)
    assert.equal(await dedupe.get(key), undefined)
    assert.equal(await dedupe.claim(key, 'new', Date.now() + LATER_MS), undefined)
    assert.equal(await dedupe.get(key), 'new')
  })
}

/** `maxRecords` small, to see the bound. */
export function dedupeBoundContract(test: Test, make: (maxRecords: number) => Promise<DedupeStore>): void {
  test('dedupe: past the bound the oldest records go', async () => {
    const dedupe = await make(3)
    const later = Date.now() + LATER_MS
    for (let i = 0; i < 5; i++) await dedupe.claim({ scope: 'message', from: 'alice', mid: `m${i}` }, `v${i}`, later)
    const values = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => dedupe.get({ scope: 'message', from: 'alice', mid: `m${i}` })),
    )
    assert.deepEqual(values, [undefined, undefined, 'v2', 'v3', 'v4'])
  })
}

function grant(expiresAt: number, to = 'bob'): StoredGrant {
  return { from: 'alice', cmd: 'sendfile', target: { to }, expiresAt }
}

export function fileTokenContract(test: Test, make: (now: () => number) => Promise<FileTokenStore>): void {
  const hash = (n: number) => n.toString(16).padStart(64, '0')

  test('file tokens: a grant is taken once, whole', async () => {
    const tokens = await make(Date.now)
    const g = { ...grant(Date.now() + LATER_MS), cmd: 'sendgroupfile' as const, target: { gid: 'team' } }
    await tokens.put(hash(1), g, 10)
    assert.deepEqual(await tokens.take(hash(1)), g)
    assert.equal(await tokens.take(hash(1)), undefined)
    assert.equal(await tokens.take(hash(2)), undefined)
  })

  test('file tokens: an expired grant is still taken (so its use can be told it expired)', async () => {
    let now = Date.now()
    const tokens = await make(() => now)
    await tokens.put(hash(1), grant(now + 1000), 10)
    now += 2000
    assert.deepEqual(await tokens.take(hash(1)), grant(now - 1000))
  })

  test('file tokens: a put sweeps grants expired by then, and past the bound the oldest go', async () => {
    let now = Date.now()
    const tokens = await make(() => now)
    await tokens.put(hash(1), grant(now + 1000), 10)
    now += 2000
    await tokens.put(hash(2), grant(now + LATER_MS, 'u2'), 2)
    await tokens.put(hash(3), grant(now + LATER_MS, 'u3'), 2)
    await tokens.put(hash(4), grant(now + LATER_MS, 'u4'), 2)
    assert.equal(await tokens.take(hash(1)), undefined, 'swept once expired')
    assert.equal(await tokens.take(hash(2)), undefined, 'the oldest went past the bound')
    assert.equal((await tokens.take(hash(3)))?.target.to, 'u3')
    assert.equal((await tokens.take(hash(4)))?.target.to, 'u4')
  })
}
