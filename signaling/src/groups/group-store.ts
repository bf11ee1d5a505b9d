import type { Group } from '@ferry/protocol'

/**
 * Groups of the server API: named sets of user ids that outlive any session, addressed by group sends.
 * Unlike rooms, membership does not depend on being online: a member who is offline gets group sends
 * at the next login. Checks (id shapes, limits) are the caller's; a store only keeps what it is given.
 *
 * Methods return promises so a database fits the same shape; each call must be atomic on its own.
 */
export interface GroupStore {
  /** Creates `gid` with `members`. Resolves to false, changing nothing, when the group exists. */
  create(gid: string, members: readonly string[]): Promise<boolean>
  /** Resolves to false when there was no such group. */
  delete(gid: string): Promise<boolean>
  get(gid: string): Promise<Group | undefined>
  /** Every group, by gid. */
  list(): Promise<Group[]>
  /**
   * Adds `add`, then removes `remove`, all or nothing. Resolves to the group as it is then, undefined
   * for an unknown gid; and to `{ tooMany: size }`, changing nothing, when the group would have more
   * than `maxMembers`.
   */
  update(
    gid: string,
    add: readonly string[],
    remove: readonly string[],
    maxMembers: number,
  ): Promise<Group | { tooMany: number } | undefined>
}

/** The default store: this process's memory, kept for the server's life. */
export class InMemoryGroupStore implements GroupStore {
  readonly #groups = new Map<string, Set<string>>()

  async create(gid: string, members: readonly string[]): Promise<boolean> {
    if (this.#groups.has(gid)) return false
    this.#groups.set(gid, new Set(members))
    return true
  }

  async delete(gid: string): Promise<boolean> {
    return this.#groups.delete(gid)
  }

  async get(gid: string): Promise<Group | undefined> {
    const members = this.#groups.get(gid)
    return members === undefined ? undefined : { gid, members: [...members] }
  }

  async list(): Promise<Group[]> {
    return [...this.#groups.keys()].sort().map((gid) => ({ gid, members: [...(this.#groups.get(gid) ?? [])] }))
  }

  async update(
    gid: string,
    add: readonly string[],
    remove: readonly string[],
    maxMembers: number,
  ): Promise<Group | { tooMany: number } | undefined> {
    const members = this.#groups.get(gid)
    if (members === undefined) return undefined
    const next = new Set([...members, ...add])
    for (const user of remove) next.delete(user)
    if (next.size > maxMembers) return { tooMany: next.size }
    this.#groups.set(gid, next)
    return { gid, members: [...next] }
  }
}
