import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import type { TestFile } from './random-file'

export interface TestImage extends TestFile {
  width: number
  height: number
}

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

/** IHDR colour type 2: truecolour, three bytes a pixel at bit depth 8. */
const RGB = 2
const BYTES_PER_PIXEL = 3

/**
 * Writes a real `width` × `height` PNG (8-bit RGB) to `dir/name`: colour gradients with a checker, so
 * a thumbnail and a full preview look like a picture and a wrong pixel size shows. No fixture files,
 * no image tools: rows of pixels, deflated, in PNG chunks.
 */
export async function writePng(dir: string, name: string, width: number, height: number): Promise<TestImage> {
  const rowBytes = 1 + width * BYTES_PER_PIXEL
  const pixels = Buffer.alloc(rowBytes * height)
  for (let y = 0; y < height; y++) {
    // Each row starts with its filter type, 0 (none).
    for (let x = 0; x < width; x++) {
      const at = y * rowBytes + 1 + x * BYTES_PER_PIXEL
      const checker = ((x >> 5) + (y >> 5)) % 2 === 0 ? 40 : 0
      pixels[at] = Math.round((x / width) * 215) + checker
      pixels[at + 1] = Math.round((y / height) * 215) + checker
      pixels[at + 2] = 160 + checker
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, RGB, 0, 0, 0], 8)
  const bytes = Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
  const path = join(dir, name)
  await writeFile(path, bytes)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  return { path, name, size: bytes.length, sha256, width, height }
}

/** A PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(8 + data.length + 4)
  out.writeUInt32BE(data.length, 0)
  typed.copy(out, 4)
  out.writeUInt32BE(crc32(typed), 8 + data.length)
  return out
}
