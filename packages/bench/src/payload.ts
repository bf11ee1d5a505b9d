import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'

/** Piece size for generating and hashing sources without holding them whole. A multiple of 4. */
const PIECE_BYTES = 4 * 1024 * 1024

/**
 * A seeded xorshift32 stream. Sender children regenerate the buffer from its seed instead of receiving
 * 256 MiB over IPC, and the orchestrator hashes the same stream to know the expected SHA-256.
 */
export class PseudoRandom {
  #state: number

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9
  }

  /** Fills `target` with the next bytes of the stream. Pieces must be multiples of 4 to stay in step. */
  fill<T extends Uint8Array>(target: T): T {
    const wordCount = target.byteLength >>> 2
    const aligned = target.byteOffset % 4 === 0
    const words = aligned ? new Uint32Array(target.buffer, target.byteOffset, wordCount) : new Uint32Array(wordCount)
    let x = this.#state
    for (let i = 0; i < wordCount; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      words[i] = x
    }
    if (!aligned) target.set(new Uint8Array(words.buffer), 0)
    for (let i = wordCount * 4; i < target.byteLength; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      target[i] = x & 0xff
    }
    this.#state = x >>> 0
    return target
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A buffer of `size` pseudo-random bytes from `seed`, every page touched. */
export function seededBuffer(size: number, seed: number): Uint8Array<ArrayBuffer> {
  return new PseudoRandom(seed).fill(new Uint8Array(size))
}

/** SHA-256 of `seededBuffer(size, seed)`, computed piece by piece. */
export function seededSha256(size: number, seed: number): string {
  const random = new PseudoRandom(seed)
  const hash = createHash('sha256')
  const piece = new Uint8Array(PIECE_BYTES)
  for (let done = 0; done < size; done += PIECE_BYTES) {
    hash.update(random.fill(piece.subarray(0, Math.min(PIECE_BYTES, size - done))))
  }
  return hash.digest('hex')
}

/** Writes `size` pseudo-random bytes from `seed` to `path`; resolves with their SHA-256. */
export async function writeSeededFile(path: string, size: number, seed: number): Promise<string> {
  const random = new PseudoRandom(seed)
  const hash = createHash('sha256')
  const piece = new Uint8Array(PIECE_BYTES)
  const file = await open(path, 'w')
  try {
    for (let done = 0; done < size; done += PIECE_BYTES) {
      const data = random.fill(piece.subarray(0, Math.min(PIECE_BYTES, size - done)))
      hash.update(data)
      await file.write(data)
    }
  } finally {
    await file.close()
  }
  return hash.digest('hex')
}

/** SHA-256 of a file on disk, read piece by piece. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256')
  const piece = new Uint8Array(PIECE_BYTES)
  const file = await open(path, 'r')
  try {
    for (;;) {
      const { bytesRead } = await file.read(piece, 0, PIECE_BYTES, null)
      if (bytesRead === 0) break
      hash.update(piece.subarray(0, bytesRead))
    }
  } finally {
    await file.close()
  }
  return hash.digest('hex')
}
