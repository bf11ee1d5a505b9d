import type { FileSource } from './types.js'

/** A FileSource over bytes in memory, so buffers and files share one sending path. */
export function bufferSource(bytes: Uint8Array): FileSource {
  return {
    name: '',
    size: bytes.length,
    mime: 'application/octet-stream',
    async readInto(target, position) {
      const part = bytes.subarray(position, position + target.length)
      target.set(part)
      return part.length
    },
    async close() {},
  }
}
