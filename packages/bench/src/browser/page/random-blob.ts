import { createSha256 } from './sha256-hasher.js'

/** Blob parts of the source: each goes to Chromium's blob storage (outside the JS heap) as soon as it is made. */
const PART_BYTES = 1024 * 1024

/** `crypto.getRandomValues` fills at most 65,536 bytes per call. */
const RANDOM_PIECE_BYTES = 64 * 1024

/** Slice size for reading a received Blob back to hash it. */
const REHASH_SLICE_BYTES = 4 * 1024 * 1024

/**
 * A Blob of `size` random bytes, built part by part so that at most one part is ever in the JS heap,
 * and its SHA-256 (hex), hashed incrementally while generating.
 */
export async function randomBlob(size: number): Promise<{ blob: Blob; sha256: string }> {
  const hash = await createSha256()
  const part = new Uint8Array(PART_BYTES)
  const parts: Blob[] = []
  for (let done = 0; done < size; done += PART_BYTES) {
    const view = part.subarray(0, Math.min(PART_BYTES, size - done))
    for (let at = 0; at < view.length; at += RANDOM_PIECE_BYTES) {
      crypto.getRandomValues(view.subarray(at, at + RANDOM_PIECE_BYTES))
    }
    hash.update(view)
    // The Blob constructor copies, so the same part buffer is refilled next time round.
    parts.push(new Blob([view]))
  }
  return { blob: new Blob(parts, { type: 'application/octet-stream' }), sha256: hash.digest('hex') }
}

/** SHA-256 (hex) of a Blob, read slice by slice. */
export async function blobSha256(blob: Blob): Promise<string> {
  const hash = await createSha256()
  for (let at = 0; at < blob.size; at += REHASH_SLICE_BYTES) {
    hash.update(new Uint8Array(await blob.slice(at, at + REHASH_SLICE_BYTES).arrayBuffer()))
  }
  return hash.digest('hex')
}
