import { createSHA256, type IHasher } from 'hash-wasm'

/**
 * Incremental SHA-256 with the same WebAssembly implementation (hash-wasm) as Ferry's browser platform,
 * so the raw baseline pays what Ferry pays for hashing every byte on the main thread.
 */
export async function createSha256(): Promise<IHasher> {
  const hash = await createSHA256()
  hash.init()
  return hash
}
