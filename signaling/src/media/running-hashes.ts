import { createHash, type Hash } from 'node:crypto'
import { Transform } from 'node:stream'

/**
 * Partial uploads whose hash state is kept, at most. Past it the oldest are dropped; such an upload
 * is hashed from disk when it completes, as after a restart. 10,000 states are about 4 MB.
 */
const MAX_RUNNING_HASHES = 10_000

/**
 * The SHA-256 state of partial uploads, so the digest is ready when the last byte is in instead of
 * reading the whole file again. A state is only used for the very upload and offset it reached: after a
 * failed append, a restart, or appends through another node, the digest comes from the file on disk.
 */
export class RunningHashes {
  private readonly states = new Map<string, { hash: Hash; generation: string; at: number }>()

  /**
   * The state of upload `generation` that stands exactly at `at` (a new one at 0), taken out: put it
   * back with `keep`. One of an earlier upload under the same id, or at another offset, is never used.
   */
  take(mediaId: string, generation: string, at: number): Hash | undefined {
    const state = this.states.get(mediaId)
    this.states.delete(mediaId)
    if (state?.generation === generation && state.at === at) return state.hash
    return at === 0 ? createHash('sha256') : undefined
  }

  /** Keeps a state once the bytes it hashed are recorded as the upload's first `at`. */
  keep(mediaId: string, generation: string, hash: Hash, at: number): void {
    this.states.set(mediaId, { hash, generation, at })
    if (this.states.size > MAX_RUNNING_HASHES) this.states.delete(this.states.keys().next().value!)
  }

  forget(mediaId: string): void {
    this.states.delete(mediaId)
  }
}

/** A pass-through stream that feeds every chunk to `hash`. */
export function hashTap(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      callback(null, chunk)
    },
  })
}
