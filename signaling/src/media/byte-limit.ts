import { Transform, type TransformCallback } from 'node:stream'
import { MediaStoreError } from './media-refusal.js'

/**
 * Passes bytes through until more than `limit` went by, then fails with `past-size`: an append may
 * not write past the media's declared size. `bytes` counts what came in, including the refused chunk.
 */
export class ByteLimit extends Transform {
  bytes = 0

  constructor(private readonly limit: number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length
    if (this.bytes > this.limit) {
      callback(new MediaStoreError('past-size', `more bytes than the declared size (${this.limit} were left)`))
      return
    }
    callback(null, chunk)
  }
}
