import { link, unlink } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'

/** Longest file name most file systems accept, in UTF-8 bytes. */
const MAX_FILE_NAME_BYTES = 255

/**
 * Windows device names (with superscript digits, which Windows reads as digits): as a file name, alone
 * or before any extension (`nul.txt`), they open the device instead of a file.
 */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i

/**
 * A received name made safe to write: the last path segment only (no `..`, no directories), no
 * control or reserved characters, no leading dots or spaces (hidden files), no trailing ones (Windows
 * drops them, so `a.txt.` would land on `a.txt`), no Windows device name (`CON`, `nul.txt`, `COM1`...:
 * prefixed with `_`), not empty, at most 255 bytes.
 */
export function safeFileName(name: string): string {
  let safe = basename(String(name).replaceAll('\\', '/'))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^[. ]+/, '')
  if (DEVICE_NAME.test(safe.split('.')[0]!.trimEnd())) safe = `_${safe}`
  safe = truncateUtf8(safe, MAX_FILE_NAME_BYTES).replace(/[. ]+$/, '')
  return safe === '' ? 'file' : safe
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, cut between characters. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  let bytes = 0
  let end = 0
  for (const char of text) {
    bytes += Buffer.byteLength(char)
    if (bytes > maxBytes) break
    end += char.length
  }
  return text.slice(0, end)
}

const MIME_BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  html: 'text/html',
  csv: 'text/csv',
}

/** A mime type from a file name's extension; `application/octet-stream` when unknown. */
export function mimeFromName(name: string): string {
  const dot = name.lastIndexOf('.')
  const ext = dot === -1 ? '' : name.slice(dot + 1).toLowerCase()
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream'
}

/** Past `name (9999)` a directory is taken to be full of copies rather than searched on. */
const MAX_NAME_SUFFIX = 9999

/**
 * Moves the file `from` (in `dir`'s file system) to the first free `name`, `name (1)`, ... in `dir`
 * and resolves with its new path: a hard link then an unlink, so it is atomic and never overwrites.
 */
export async function moveToFreeName(dir: string, name: string, from: string): Promise<string> {
  const ext = extname(name)
  const stem = name.slice(0, name.length - ext.length)
  for (let n = 0; ; n++) {
    const path = join(dir, n === 0 ? name : `${stem} (${n})${ext}`)
    try {
      await link(from, path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= MAX_NAME_SUFFIX) throw err
      continue
    }
    await unlink(from)
    return path
  }
}
