import { FerryError } from '@ferry/protocol'

/** Default longest side of a thumbnail, in CSS pixels: a chat bubble's preview on a 2x screen. */
export const DEFAULT_THUMBNAIL_SIDE_PX = 160

/** Default JPEG/WebP quality: at 160 px it keeps most photos near 5 to 10 KB with no visible blocks. */
export const DEFAULT_THUMBNAIL_QUALITY = 0.7

/**
 * Default most bytes of a thumbnail: half of MAX_MESSAGE_BYTES (32 KiB), leaving the other half to the
 * rest of the encoded message (its text, file name and other fields).
 */
export const DEFAULT_THUMBNAIL_BYTES = 16 * 1024

const DEFAULT_THUMBNAIL_MIME = 'image/jpeg'

/** Below this quality a thumbnail looks broken; past it, the side shrinks instead. */
const MIN_QUALITY = 0.3

/** Each retry lowers the quality by this much: three steps from the default to the minimum. */
const QUALITY_STEP = 0.15

/** Each retry at the minimum quality shrinks the side by this factor (about half the bytes). */
const SIDE_SHRINK = 0.7

/** A thumbnail smaller than this on its longest side shows nothing: give up with `message-too-large`. */
const MIN_SIDE_PX = 16

/** Formats whose encoder takes a quality; others (PNG) are retried at smaller sizes only. */
const LOSSY_MIMES = new Set(['image/jpeg', 'image/webp'])

/** Formats without transparency: drawn over white, as transparent pixels would otherwise turn black. */
const OPAQUE_MIMES = new Set(['image/jpeg'])

export interface ThumbnailOptions {
  /** Longest side in pixels; a smaller image keeps its size. Default DEFAULT_THUMBNAIL_SIDE_PX. */
  maxSide?: number
  /** Default `image/jpeg`. A browser that cannot encode it yields PNG: see the result's `mime`. */
  mime?: string
  /** 0 to 1, for JPEG and WebP. Default DEFAULT_THUMBNAIL_QUALITY. */
  quality?: number
  /** The result is at most this many bytes. Default DEFAULT_THUMBNAIL_BYTES. */
  maxBytes?: number
}

export interface Thumbnail {
  bytes: Uint8Array
  mime: string
  width: number
  height: number
}

/**
 * A small preview of an image (browser only: `createImageBitmap` and `OffscreenCanvas`), for an image
 * message's `thumbnail`. Keeps the aspect ratio and the EXIF orientation; lowers the quality, then the
 * size, until it fits `maxBytes`. Rejects with `invalid-argument` for bad options or an image the
 * browser cannot decode, and `message-too-large` when even a tiny thumbnail does not fit.
 */
export async function createThumbnail(image: Blob, options: ThumbnailOptions = {}): Promise<Thumbnail> {
  const maxSide = options.maxSide ?? DEFAULT_THUMBNAIL_SIDE_PX
  const mime = options.mime ?? DEFAULT_THUMBNAIL_MIME
  const quality = options.quality ?? DEFAULT_THUMBNAIL_QUALITY
  const maxBytes = options.maxBytes ?? DEFAULT_THUMBNAIL_BYTES
  if (!Number.isFinite(maxSide) || maxSide < 1) throw badOption(`maxSide ${maxSide}`)
  if (!(quality > 0 && quality <= 1)) throw badOption(`quality ${quality}`)
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw badOption(`maxBytes ${maxBytes}`)
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    throw new FerryError(
      'invalid-argument',
      'createThumbnail needs a browser with createImageBitmap and OffscreenCanvas',
    )
  }
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(image)
  } catch (err) {
    throw new FerryError('invalid-argument', `the image cannot be decoded: ${(err as Error).message}`)
  }
  try {
    for (let side = Math.min(maxSide, Math.max(bitmap.width, bitmap.height)); ; side *= SIDE_SHRINK) {
      const { width, height } = fit(bitmap, side)
      const canvas = draw(bitmap, width, height, mime)
      for (let q = quality; ; q = Math.max(MIN_QUALITY, q - QUALITY_STEP)) {
        const blob = await canvas.convertToBlob({ type: mime, quality: q })
        const encoded = blob.type || mime
        if (blob.size <= maxBytes) {
          return { bytes: new Uint8Array(await blob.arrayBuffer()), mime: encoded, width, height }
        }
        if (!LOSSY_MIMES.has(encoded) || q <= MIN_QUALITY) break
      }
      if (Math.max(width, height) <= MIN_SIDE_PX) {
        throw new FerryError('message-too-large', `no thumbnail of this image fits ${maxBytes} bytes`)
      }
    }
  } finally {
    bitmap.close()
  }
}

/** The image's size scaled down (never up) so its longest side is at most `side`, at least 1 × 1. */
function fit(bitmap: ImageBitmap, side: number): { width: number; height: number } {
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height))
  return {
    width: Math.max(1, Math.round(bitmap.width * scale)),
    height: Math.max(1, Math.round(bitmap.height * scale)),
  }
}

function draw(bitmap: ImageBitmap, width: number, height: number, mime: string): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d')
  if (!context) throw new FerryError('invalid-argument', 'this browser has no 2D OffscreenCanvas')
  if (OPAQUE_MIMES.has(mime)) {
    context.fillStyle = '#fff'
    context.fillRect(0, 0, width, height)
  }
  context.imageSmoothingQuality = 'high'
  context.drawImage(bitmap, 0, 0, width, height)
  return canvas
}

function badOption(what: string): FerryError {
  return new FerryError('invalid-argument', `createThumbnail: bad ${what}`)
}
