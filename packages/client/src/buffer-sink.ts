import { FerryError } from '@ferry/protocol'
import type { ByteBudget } from './byte-budget.js'
import { type GrowingBytes, growingBytes } from './growing-bytes.js'
import type { TransferSink } from './incoming-transfer.js'

/**
 * An incoming buffer's sink: memory grows with the bytes that arrived, never with the size the sender
 * announced, and every byte held counts against `budget`, shared by all incoming buffers. A chunk that
 * would take the budget over its limit fails the transfer with `storage-full`. The budget gets the
 * bytes back when the buffer is delivered (they are the application's then) or dropped.
 */
export function bufferSink(
  size: number,
  budget: ByteBudget,
  options: { resizable?: boolean } = {},
): TransferSink<Uint8Array> {
  let bytes: GrowingBytes | undefined = growingBytes(size, options)
  let held = 0
  const release = () => {
    budget.give(held)
    held = 0
    bytes = undefined
  }
  return {
    write(data) {
      if (!bytes) throw new FerryError('file-write-error', 'the buffer was dropped')
      if (!budget.take(data.length)) {
        throw new FerryError(
          'storage-full',
          `incoming buffers would hold ${budget.taken + data.length} bytes, limit ${budget.limit}`,
        )
      }
      held += data.length
      try {
        bytes.append(data)
      } catch (err) {
        throw new FerryError('storage-full', `no memory for the buffer: ${(err as Error).message}`)
      }
    },
    async finish() {
      if (!bytes) throw new FerryError('file-write-error', 'the buffer was dropped')
      const out = bytes.take()
      release()
      return out
    },
    async abort() {
      release()
    },
  }
}
