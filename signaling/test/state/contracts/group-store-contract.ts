import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { GroupStore } from '../../../src/groups/group-store.js'
import { type StoreFactory, testClock } from './store-factory.js'

/** Registers the `GroupStore` contract (see its doc) as tests named after `name`. */
export function groupStoreContract(name: string, open: StoreFactory<GroupStore>): void {
  const store = (t: Parameters<StoreFactory<GroupStore>>[0]) => open(t, testClock())

  test(`${name} GroupStore: create keeps the members; a second create of the gid changes nothing`, async (t) => {
    const groups = await store(t)
    assert.equal(await groups.create('team', ['alice', 'bob']), true)
    assert.equal(await groups.create('team', ['mallory']), false)
    assert.deepEqual(sorted(await groups.get('team')), { gid: 'team', members: ['alice', 'bob'] })
    assert.equal(await groups.get('nobody'), undefined)
  })

  test(`${name} GroupStore: list gives every group by gid; delete removes one`, async (t) => {
    const groups = await store(t)
    await groups.create('b-team', ['carol'])
    await groups.create('a-team', ['alice'])
    await groups.create('empty', [])
    assert.deepEqual((await groups.list()).map(sorted), [
      { gid: 'a-team', members: ['alice'] },
      { gid: 'b-team', members: ['carol'] },
      { gid: 'empty', members: [] },
    ])
    assert.equal(await groups.delete('b-team'), true)
    assert.equal(await groups.delete('b-team'), false)
    assert.equal(await groups.get('b-team'), undefined)
    assert.deepEqual(
      (await groups.list()).map(({ gid }) => gid),
      ['a-team', 'empty'],
    )
  })

  test(`${name} GroupStore: update adds then removes, all or nothing past maxMembers`, async (t) => {
    const groups = await store(t)
    await groups.create('team', ['alice', 'bob'])
    assert.deepEqual(sorted(await groups.update('team', ['carol', 'dave'], ['bob', 'dave'], 3)), {
      gid: 'team',
      members: ['alice', 'carol'],
    })
    assert.deepEqual(await groups.update('team', ['erin', 'frank'], [], 3), { tooMany: 4 })
    assert.deepEqual(sorted(await groups.get('team')), { gid: 'team', members: ['alice', 'carol'] })
    assert.equal(await groups.update('nobody', ['alice'], [], 3), undefined)
    assert.equal(await groups.get('nobody'), undefined)
  })

  test(`${name} GroupStore: concurrent updates of one group all land`, async (t) => {
    const groups = await store(t)
    await groups.create('team', [])
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`)
    await Promise.all(users.map((user) => groups.update('team', [user], [], 1000)))
    assert.deepEqual(sorted(await groups.get('team'))?.members, [...users].sort())
  })
}

/** The group with its members sorted: a set's order is no part of the contract. */
function sorted<T>(group: T): T {
  if (typeof group !== 'object' || group === null || !('members' in group)) return group
  return { ...group, members: [...(group.members as string[])].sort() }
}
