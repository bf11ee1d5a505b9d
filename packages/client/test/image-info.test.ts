import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import { IMAGE_HEADER_BYTES, imageDimensions } from '../src/media/image-info.js'

/** Every fixture is 37 × 23 pixels: width and height differ, so a swap shows. */
const SIZE = { width: 37, height: 23 }

function fixture(name: string): Promise<Uint8Array> {
  return readFile(new URL(`fixtures/images/${name}`, import.meta.url)).then((bytes) => new Uint8Array(bytes))
}

for (const name of [
  'img-37x23.jpg',
  'img-37x23-progressive.jpg',
  'img-37x23.png',
  'img-37x23.bmp',
  'img-37x23.gif',
  'img-37x23.webp',
  'img-37x23-lossless.webp',
  'img-37x23-alpha.webp',
]) {
  test(`${name} measures 37 × 23`, async () => {
    assert.deepEqual(imageDimensions(await fixture(name)), SIZE)
  })
}

test('a JPEG whose frame header comes after 100 KB of EXIF, XMP and ICC segments is measured from its first IMAGE_HEADER_BYTES', async () => {
  const bytes = await fixture('img-37x23-big-exif.jpg')
  assert.ok(bytes.length > 100_000 && bytes.length < IMAGE_HEADER_BYTES)
  assert.deepEqual(imageDimensions(bytes.subarray(0, IMAGE_HEADER_BYTES)), SIZE)
  assert.equal(imageDimensions(bytes.subarray(0, 64 * 1024)), undefined, 'the frame header is not in the first 64 KiB')
})

test('a JPEG with EXIF orientation 6 (turned a quarter) measures as shown: 23 × 37', async () => {
  assert.deepEqual(imageDimensions(await fixture('img-37x23-rotated.jpg')), { width: 23, height: 37 })
})

test('cut-short images give undefined without throwing', async () => {
  const cuts: [string, number][] = [
    ['img-37x23.jpg', 100],
    ['img-37x23.png', 20],
    ['img-37x23.bmp', 20],
    ['img-37x23.gif', 8],
    ['img-37x23.webp', 20],
    ['img-37x23-lossless.webp', 22],
    ['img-37x23-big-exif.jpg', 110_000],
  ]
  for (const [name, length] of cuts) {
    assert.equal(imageDimensions((await fixture(name)).subarray(0, length)), undefined, `${name} cut to ${length}`)
  }
})

test('empty, garbage and random bytes give undefined without throwing', () => {
  assert.equal(imageDimensions(new Uint8Array()), undefined)
  assert.equal(imageDimensions(new TextEncoder().encode('not an image at all')), undefined)
  assert.equal(imageDimensions(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff])), undefined)
  for (let i = 0; i < 200; i++) {
    const bytes = new Uint8Array(randomBytes(1 + (i % 64)))
    const size = imageDimensions(bytes)
    if (size) assert.ok(size.width > 0 && size.height > 0)
  }
})
