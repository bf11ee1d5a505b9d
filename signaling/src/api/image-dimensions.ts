import { imageSize } from 'image-size'
import type { MediaStore } from '../media/media-store.js'

/**
 * How many leading bytes of an image are read to measure it. PNG, GIF, BMP and WebP say their size in
 * the first 30 bytes, but a JPEG's frame header comes after its APP segments (EXIF with its preview,
 * XMP, ICC), which together reach a few hundred KiB. The client measures from as many.
 */
const IMAGE_HEADER_BYTES = 512 * 1024

/** A WebP is measured from at least this many bytes: image-size reads a lossless one's size up to byte 25 unchecked. */
const WEBP_HEADER_BYTES = 25

/** EXIF orientations that turn the image a quarter: it is shown with width and height swapped. */
const TRANSPOSING_ORIENTATIONS = new Set([5, 6, 7, 8])

/**
 * The pixel size of a stored image as it is shown (EXIF orientation applied, as browsers and the
 * client do), from its first IMAGE_HEADER_BYTES. Undefined when image-size cannot read it.
 */
export async function storedImageDimensions(
  store: MediaStore,
  mediaId: string,
): Promise<{ width: number; height: number } | undefined> {
  const { stream } = await store.read(mediaId, { start: 0, end: IMAGE_HEADER_BYTES - 1 })
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  const bytes = new Uint8Array(Buffer.concat(chunks))
  let size: ReturnType<typeof imageSize>
  try {
    size = imageSize(bytes)
  } catch {
    return undefined
  }
  const { width, height, orientation, type } = size
  if (type === 'webp' && bytes.length < WEBP_HEADER_BYTES) return undefined
  if (!isPixelCount(width) || !isPixelCount(height)) return undefined
  return orientation !== undefined && TRANSPOSING_ORIENTATIONS.has(orientation)
    ? { width: height, height: width }
    : { width, height }
}

function isPixelCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0
}
