import { type Group, USER_ID_PATTERN } from '@ferry/protocol'
import type { GroupStore } from '../../groups/group-store.js'
import { decodeJson, encodeJson } from './record-codec.js'
import type { StateDb, Table } from './state-db.js'

/**
 * Groups in the state database: `groups` maps each gid to its members as JSON. Every change is one
 * transaction, so an update is all or nothing even when the process dies in it.
 */
export class LmdbGroupStore implements GroupStore {
  readonly #groups: Table

  constructor(
    private readonly db: StateDb,
    private readonly corrupt: (what: string) => void,
  ) {
    this.#groups = db.table('groups')
  }

  create(gid: string, members: readonly string[]): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.#groups.get(gid) !== undefined) return false
      this.#groups.putSync(gid, encodeJson([...new Set(members)]))
      return true
    })
  }

  delete(gid: string): Promise<boolean> {
    return this.db.transaction(() => this.#groups.removeSync(gid))
  }

  async get(gid: string): Promise<Group | undefined> {
    const members = this.#members(gid, this.#groups.get(gid))
    return members === undefined ? undefined : { gid, members }
  }

  async list(): Promise<Group[]> {
    const groups: Group[] = []
    for (const { key, value } of this.#groups.getRange({})) {
      if (typeof key !== 'string') continue
      const members = this.#members(key, value)
      if (members !== undefined) groups.push({ gid: key, members })
    }
    return groups
  }

  update(
    gid: string,
    add: readonly string[],
    remove: readonly string[],
    maxMembers: number,
  ): Promise<Group | { tooMany: number } | undefined> {
    return this.db.transaction(() => {
      const members = this.#members(gid, this.#groups.get(gid))
      if (members === undefined) return undefined
      const next = new Set([...members, ...add])
      for (const user of remove) next.delete(user)
      if (next.size > maxMembers) return { tooMany: next.size }
      this.#groups.putSync(gid, encodeJson([...next]))
      return { gid, members: [...next] }
    })
  }

  /** The members kept for `gid`, or undefined when there are none or they cannot be read. */
  #members(gid: string, bytes: Buffer | undefined): string[] | undefined {
    if (bytes === undefined) return undefined
    const members = decodeJson(bytes)
    if (Array.isArray(members) && members.every((user) => typeof user === 'string' && USER_ID_PATTERN.test(user))) {
      return members as string[]
    }
    this.corrupt(`group ${gid}`)
    return undefined
  }
}
