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
 * Who said they hold which media, in this server's memory: a downloader asks for holders and fetches
 * from one of them instead of the uploader or the server store. Entries are by user id and forgotten
 * when the user goes offline. Nothing here is trusted for content: a downloader checks every copy
 * against the media's published SHA-256, so a false claim costs one failed attempt.
 */
export class MediaHolders {
  /** Holders of each media, least recent first (a Set keeps insertion order). */
  private readonly byMedia = new Map<string, Set<string>>()
  /** Media each user holds, least recent first. */
  private readonly byUser = new Map<string, Set<string>>()

  constructor(private readonly maxPerUser = MAX_MEDIA_HELD_PER_USER) {}

  /** `userId` holds `mediaId` now; it becomes the most recent holder. */
  have(userId: string, mediaId: string): void {
    const held = this.byUser.get(userId) ?? new Set<string>()
    held.delete(mediaId)
    held.add(mediaId)
    this.byUser.set(userId, held)
    const holders = this.byMedia.get(mediaId) ?? new Set<string>()
    holders.delete(userId)
    holders.add(userId)
    this.byMedia.set(mediaId, holders)
    if (held.size > this.maxPerUser) {
      const oldest = held.values().next().value!
      held.delete(oldest)
      this.drop(oldest, userId)
    }
  }

  /** Holders of `mediaId`, most recent first. */
  holdersOf(mediaId: string): string[] {
    return [...(this.byMedia.get(mediaId) ?? [])].reverse()
  }

  /** Media `userId` is remembered to hold, most recent first. */
  heldBy(userId: string): string[] {
    return [...(this.byUser.get(userId) ?? [])].reverse()
  }

  /** The user went offline: forget everything they held. */
  forget(userId: string): void {
    for (const mediaId of this.byUser.get(userId) ?? []) this.drop(mediaId, userId)
    this.byUser.delete(userId)
  }

  private drop(mediaId: string, userId: string): void {
    const holders = this.byMedia.get(mediaId)
    holders?.delete(userId)
    if (holders?.size === 0) this.byMedia.delete(mediaId)
  }
}
