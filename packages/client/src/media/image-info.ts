import { imageSize } from 'image-size'

/**
 * How many leading bytes of an image to hand `imageDimensions`. PNG, GIF, BMP and WebP say their size
 * in the first 30 bytes, but a JPEG's frame header comes after its APP segments: a camera's EXIF
 * (with its preview, up to 64 KiB), XMP and ICC profile segments together reach a few hundred KiB.
 */
export const IMAGE_HEADER_BYTES = 512 * 1024

/**
 * A WebP is measured from its first this many bytes (a lossless one's size ends at byte 25), which
 * image-size indexes without a bounds check: from fewer it would make up a size.
 */
const WEBP_HEADER_BYTES = 25

/** EXIF orientations that turn the image a quarter: it is shown with width and height swapped. */
const TRANSPOSING_ORIENTATIONS = new Set([5, 6, 7, 8])

/**
 * The pixel size of an image as it is shown (EXIF orientation applied, as browsers do), from its
 * first bytes (see IMAGE_HEADER_BYTES): JPEG, PNG, BMP, GIF, WebP, and the other formats image-size
 * reads. Undefined for bytes it cannot read: never throws.
 */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | undefined {
  let size: ReturnType<typeof imageSize>
  try {
    size = imageSize(ownBuffer(bytes))
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

/**
 * The bytes in a buffer of their own: image-size reads through DataViews over `bytes.buffer`, which
 * run past the end of a view into whatever follows it (a cut-short image would be read whole).
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}

function isPixelCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0
}
