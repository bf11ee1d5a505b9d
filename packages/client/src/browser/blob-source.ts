import type { FileSource } from '../types.js'

const DEFAULT_MIME = 'application/octet-stream'

/** A FileSource over a Blob or File: each read slices only the bytes it needs. */
export function blobSource(blob: Blob, name?: string, mime?: string): FileSource {
  const ownName = typeof (blob as File).name === 'string' ? (blob as File).name : ''
  return {
    name: name ?? (ownName || 'blob'),
    size: blob.size,
    mime: mime ?? (blob.type || DEFAULT_MIME),
    async readInto(target, position) {
      const part = new Uint8Array(await blob.slice(position, position + target.length).arrayBuffer())
      target.set(part)
      return part.length
    },
    async readWithPrefix(prefix, position, length) {
      const parts = [prefix as Uint8Array<ArrayBuffer>, blob.slice(position, position + length)]
      return new Uint8Array(await new Blob(parts).arrayBuffer())
    },
    async close() {},
  }
}
