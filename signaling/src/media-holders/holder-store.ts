import { MAX_HOLDERS_ANSWERED } from '@ferry/protocol'

/**
 * Media ids one user is remembered to hold, at most; past it their oldest claim is forgotten. A client
 * announces every media it uploads or downloads: a thousand covers a long session's worth, and bounds
 * what one user can make the server keep.
 */
export const MAX_MEDIA_HELD_PER_USER = 1000

/** Holders one `media:holders` answer names, at most (the bound clients parse answers with). */
export const MAX_HOLDERS_LISTED = MAX_HOLDERS_ANSWERED

/**
 * Who said they hold which media: a downloader asks for holders and fetches from one of them instead
 * of the uploader or the server store. Entries are by user id and forgotten when the user goes
 * offline. Nothing here is trusted for content: a downloader checks every copy against the media's
 * published SHA-256, so a false claim costs one failed attempt.
 *
 * Methods return promises so a store shared by several server nodes fits the same shape; each call is
 * atomic on its own. A store keeps at most its own per-user cap of media for each user.
 */
export interface HolderStore {
  /** `userId` holds `mediaId` now; it becomes the most recent holder, and past the cap its oldest claim goes. */
  have(userId: string, mediaId: string): Promise<void>
  /** Holders of `mediaId`, most recent first. */
  holdersOf(mediaId: string): Promise<string[]>
  /** Media `userId` is remembered to hold, most recent first. */
  heldBy(userId: string): Promise<string[]>
  /** The user went offline: forget everything they held. */
  forget(userId: string): Promise<void>
  /**
   * These users are still online on this node: their claims stay. A shared store forgets those of
   * users nobody refreshed for a while (their node died); a store of one process keeps them.
   */
  refresh(userIds: readonly string[]): Promise<void>
}

/** The default store: this process's memory. */
export class InMemoryHolderStore implements HolderStore {
  /** Holders of each media, least recent first (a Set keeps insertion order). */
  readonly #byMedia = new Map<string, Set<string>>()
  /** Media each user holds, least recent first. */
  readonly #byUser = new Map<string, Set<string>>()

  constructor(private readonly maxPerUser = MAX_MEDIA_HELD_PER_USER) {}

  async have(userId: string, mediaId: string): Promise<void> {
    const held = this.#byUser.get(userId) ?? new Set<string>()
    held.delete(mediaId)
    held.add(mediaId)
    this.#byUser.set(userId, held)
    const holders = this.#byMedia.get(mediaId) ?? new Set<string>()
    holders.delete(userId)
    holders.add(userId)
    this.#byMedia.set(mediaId, holders)
    if (held.size > this.maxPerUser) {
      const oldest = held.values().next().value!
      held.delete(oldest)
      this.#drop(oldest, userId)
    }
  }

  async holdersOf(mediaId: string): Promise<string[]> {
    return [...(this.#byMedia.get(mediaId) ?? [])].reverse()
  }

  async heldBy(userId: string): Promise<string[]> {
    return [...(this.#byUser.get(userId) ?? [])].reverse()
  }

  async forget(userId: string): Promise<void> {
    for (const mediaId of this.#byUser.get(userId) ?? []) this.#drop(mediaId, userId)
    this.#byUser.delete(userId)
  }

  async refresh(): Promise<void> {}

  #drop(mediaId: string, userId: string): void {
    const holders = this.#byMedia.get(mediaId)
    holders?.delete(userId)
    if (holders?.size === 0) this.#byMedia.delete(mediaId)
  }
}
