/**
 * Bytes of a known final size that arrive in order and take memory only as they arrive, so a size
 * announced by a peer costs nothing until its bytes are here.
 */
export interface GrowingBytes {
  /** Bytes appended so far. */
  readonly length: number
  /** Appends a copy of `data`; throws a RangeError past the final size or when memory cannot grow. */
  append(data: Uint8Array): void
  /** The bytes, once all have arrived: a view of exactly the final size. Appending is over. */
  take(): Uint8Array
}

/** `new ArrayBuffer(length, { maxByteLength })` and `resize()`, from ES2024; not in this project's lib. */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void
}
type ResizableArrayBufferConstructor = new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer

const Resizable = ArrayBuffer as unknown as ResizableArrayBufferConstructor

/**
 * Whether this runtime grows an ArrayBuffer in place (Node 20, Chromium 111, Firefox 128, Safari 16.4):
 * such a buffer reserves address space for its maximum and commits memory page by page as it grows,
 * with no copy.
 */
export const resizableArrayBuffers: boolean = (() => {
  try {
    const probe = new Resizable(0, { maxByteLength: 1 })
    probe.resize(1)
    return probe.byteLength === 1
  } catch {
    return false
  }
})()

/**
 * Smallest capacity the copying fallback starts from: smaller steps would copy a few bytes over and
 * over for the first chunks, and this much is nothing next to a chunk.
 */
const MIN_COPY_CAPACITY_BYTES = 64 * 1024

/**
 * Bytes growing up to `size`: a resizable ArrayBuffer where the runtime has them (and allows that
 * maximum), else a buffer that doubles as it fills (each byte copied about twice, at most 1.5 times the
 * bytes held at a growth, and a last buffer of exactly `size`). `resizable: false` forces the fallback.
 */
export function growingBytes(size: number, options: { resizable?: boolean } = {}): GrowingBytes {
  if (options.resizable ?? resizableArrayBuffers) {
    const inPlace = resizableBytes(size)
    if (inPlace) return inPlace
  }
  return copyingBytes(size)
}

function resizableBytes(size: number): GrowingBytes | undefined {
  let buffer: ResizableArrayBuffer | undefined
  try {
    buffer = new Resizable(0, { maxByteLength: size })
  } catch {
    // Above what this runtime reserves at once (4 GiB in Node 20).
    return undefined
  }
  let length = 0
  return {
    get length() {
      return length
    },
    append(data) {
      if (!buffer) throw new RangeError('the bytes were taken')
      const end = length + data.length
      if (end > size) throw new RangeError(`${end} bytes, announced ${size}`)
      buffer.resize(end)
      new Uint8Array(buffer, length, data.length).set(data)
      length = end
    },
    take() {
      if (!buffer) throw new RangeError('the bytes were taken')
      const out = new Uint8Array(buffer, 0, length)
      buffer = undefined
      return out
    },
  }
}

function copyingBytes(size: number): GrowingBytes {
  let bytes: Uint8Array | undefined = new Uint8Array(0)
  let length = 0
  return {
    get length() {
      return length
    },
    append(data) {
      if (!bytes) throw new RangeError('the bytes were taken')
      const end = length + data.length
      if (end > size) throw new RangeError(`${end} bytes, announced ${size}`)
      if (end > bytes.length) {
        const capacity = Math.min(size, Math.max(end, bytes.length * 2, MIN_COPY_CAPACITY_BYTES))
        const grown = new Uint8Array(capacity)
        grown.set(bytes.subarray(0, length))
        bytes = grown
      }
      bytes.set(data, length)
      length = end
    },
    take() {
      if (!bytes) throw new RangeError('the bytes were taken')
      const out = length === bytes.length ? bytes : bytes.subarray(0, length)
      bytes = undefined
      return out
    },
  }
}
