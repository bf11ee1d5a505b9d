import type { MediaInfo } from '@ferry/protocol'
import type { FileSource, ReceivedFile } from '../types.js'

/** A media in a client's local cache. */
export interface CachedMedia extends MediaInfo {
  /** When it was stored here (ms since the epoch). */
  cachedAt: number
  /** When it was last read or stored (ms since the epoch): eviction drops the least recently used first. */
  usedAt: number
}

/**
 * What `create` starts an entry from: a MediaInfo whose SHA-256 may still be unknown (an upload hashes
 * the content while it copies it in, and gives the digest to `finish`).
 */
export type MediaDraft = Omit<MediaInfo, 'sha256'> & { sha256?: string }

/** Writes one media into the cache. Nothing is visible to `get`/`list` before `finish`. */
export interface MediaWriter {
  /** Appends in order. */
  write(data: Uint8Array): Promise<void>
  /**
   * Completes the entry; evicts older entries if over the cache's limit. `sha256` is the content's
   * digest when the draft had none (`invalid-argument` when neither has one); the caller has checked it.
   */
  finish(sha256?: string): Promise<CachedMedia>
  /** Removes everything written. Safe to call more than once and after a failed `finish`. */
  abort(): Promise<void>
}

/**
 * A client's local media cache: IndexedDB chunk records in the browser, a directory in Node.
 * Entries past their `expiresAt` (when it is not 0) count as absent and are removed when met.
 */
export interface MediaCache {
  /** The complete, unexpired entry, or undefined. Marks it used. */
  get(mediaId: string): Promise<CachedMedia | undefined>
  /** Opens a complete entry for reading; rejects with `media-not-found` when there is none. */
  open(mediaId: string): Promise<FileSource>
  /**
   * Starts a new entry. Rejects with `storage-full` when `info.size` cannot fit even after evicting
   * every other entry (or, in the browser, the origin's storage estimate has no room).
   */
  create(info: MediaDraft): Promise<MediaWriter>
  /** Changes an entry's expiry (after the server store took it). No-op for an absent entry. */
  setExpiry(mediaId: string, expiresAt: number): Promise<void>
  /**
   * The content as a file: Node copies it to `path` (default: a free name for it in the platform's
   * download directory) and returns that path; the browser returns a Blob backed by the cache.
   */
  export(mediaId: string, path?: string): Promise<ReceivedFile>
  /** Complete, unexpired entries, most recently used first. */
  list(): Promise<CachedMedia[]>
  /** True when there was such an entry. */
  delete(mediaId: string): Promise<boolean>
}
