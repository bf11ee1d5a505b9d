import { FerryError, MAX_PRESENCE_SUBSCRIPTIONS } from '@ferry/protocol'

/**
 * Who follows whose presence (Agora's `subscribePeersOnlineStatus`), in this server's memory. A user
 * coming or going is announced to its watchers only, so a login costs what this user's watchers and
 * subscriptions cost, never what everyone online costs. Subscriptions end with the watcher's session.
 */
export class PresenceWatchers {
  /** Watchers of each user. */
  readonly #watchers = new Map<string, Set<string>>()
  /** Users each watcher follows. */
  readonly #watching = new Map<string, Set<string>>()

  constructor(private readonly maxPerWatcher = MAX_PRESENCE_SUBSCRIPTIONS) {}

  /**
   * `watcher` follows `users` too (oneself is skipped). All or nothing: throws `too-many-recipients`,
   * changing nothing, when it would follow more than the limit.
   */
  subscribe(watcher: string, users: readonly string[]): void {
    const mine = this.#watching.get(watcher) ?? new Set<string>()
    const added = new Set(users.filter((user) => user !== watcher && !mine.has(user)))
    if (mine.size + added.size > this.maxPerWatcher) {
      throw new FerryError(
        'too-many-recipients',
        `following ${mine.size + added.size} users, at most ${this.maxPerWatcher}`,
      )
    }
    if (added.size === 0) return
    for (const user of added) {
      mine.add(user)
      const watchers = this.#watchers.get(user) ?? new Set<string>()
      watchers.add(watcher)
      this.#watchers.set(user, watchers)
    }
    this.#watching.set(watcher, mine)
  }

  unsubscribe(watcher: string, users: readonly string[]): void {
    const mine = this.#watching.get(watcher)
    if (!mine) return
    for (const user of users) if (mine.delete(user)) this.#drop(user, watcher)
    if (mine.size === 0) this.#watching.delete(watcher)
  }

  /** `watcher`'s session ended: it follows nobody any more. */
  forget(watcher: string): void {
    for (const user of this.#watching.get(watcher) ?? []) this.#drop(user, watcher)
    this.#watching.delete(watcher)
  }

  /** Who follows `user`. */
  watchersOf(user: string): string[] {
    return [...(this.#watchers.get(user) ?? [])]
  }

  /** Whom `watcher` follows. */
  followedBy(watcher: string): string[] {
    return [...(this.#watching.get(watcher) ?? [])]
  }

  #drop(user: string, watcher: string): void {
    const watchers = this.#watchers.get(user)
    watchers?.delete(watcher)
    if (watchers?.size === 0) this.#watchers.delete(user)
  }
}
