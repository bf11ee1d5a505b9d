import { FerryError } from '@ferry/protocol'

/**
 * Who follows whose presence (Agora's `subscribePeersOnlineStatus`). A user coming or going is
 * announced to its watchers only, so a login costs what this user's watchers and subscriptions cost,
 * never what everyone online costs. Subscriptions end with the watcher's session.
 *
 * Methods return promises so a store shared by several server nodes fits the same shape; each call is
 * atomic on its own.
 */
export interface PresenceStore {
  /**
   * `watcher` follows `users` too (oneself is skipped). All or nothing: rejects with
   * `too-many-recipients`, changing nothing, when it would follow more than `max`.
   */
  subscribe(watcher: string, users: readonly string[], max: number): Promise<void>
  unsubscribe(watcher: string, users: readonly string[]): Promise<void>
  /** `watcher`'s session ended: it follows nobody any more. */
  forget(watcher: string): Promise<void>
  /** Who follows `user`. */
  watchersOf(user: string): Promise<string[]>
  /** Whom `watcher` follows. */
  followedBy(watcher: string): Promise<string[]>
  /**
   * These watchers are still online on this node: their subscriptions stay. A shared store forgets
   * those of watchers nobody refreshed for a while (their node died); a store of one process keeps them.
   */
  refresh(watchers: readonly string[]): Promise<void>
}

/** The refusal of a subscription past the cap, the same from every store. */
export function followCapError(following: number, max: number): FerryError {
  return new FerryError('too-many-recipients', `following ${following} users, at most ${max}`)
}

/** The default store: this process's memory. */
export class InMemoryPresenceStore implements PresenceStore {
  /** Watchers of each user. */
  readonly #watchers = new Map<string, Set<string>>()
  /** Users each watcher follows. */
  readonly #watching = new Map<string, Set<string>>()

  async subscribe(watcher: string, users: readonly string[], max: number): Promise<void> {
    const mine = this.#watching.get(watcher) ?? new Set<string>()
    const added = new Set(users.filter((user) => user !== watcher && !mine.has(user)))
    if (mine.size + added.size > max) throw followCapError(mine.size + added.size, max)
    if (added.size === 0) return
    for (const user of added) {
      mine.add(user)
      const watchers = this.#watchers.get(user) ?? new Set<string>()
      watchers.add(watcher)
      this.#watchers.set(user, watchers)
    }
    this.#watching.set(watcher, mine)
  }

  async unsubscribe(watcher: string, users: readonly string[]): Promise<void> {
    const mine = this.#watching.get(watcher)
    if (!mine) return
    for (const user of users) if (mine.delete(user)) this.#drop(user, watcher)
    if (mine.size === 0) this.#watching.delete(watcher)
  }

  async forget(watcher: string): Promise<void> {
    for (const user of this.#watching.get(watcher) ?? []) this.#drop(user, watcher)
    this.#watching.delete(watcher)
  }

  async watchersOf(user: string): Promise<string[]> {
    return [...(this.#watchers.get(user) ?? [])]
  }

  async followedBy(watcher: string): Promise<string[]> {
    return [...(this.#watching.get(watcher) ?? [])]
  }

  async refresh(): Promise<void> {}

  #drop(user: string, watcher: string): void {
    const watchers = this.#watchers.get(user)
    watchers?.delete(watcher)
    if (watchers?.size === 0) this.#watchers.delete(user)
  }
}
