import { basename } from 'node:path'

/** Longest file name most file systems accept, in UTF-8 bytes. */
const MAX_FILE_NAME_BYTES = 255

/**
 * A received name made safe to write: the last path segment only (no `..`, no directories), no
 * control or reserved characters, no leading dots (hidden files), not empty, at most 255 bytes.
 */
export function safeFileName(name: string): string {
  let safe = basename(name.replaceAll('\\', '/'))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/^\.+/, '')
    .trim()
  if (!safe) safe = 'file'
  while (Buffer.byteLength(safe) > MAX_FILE_NAME_BYTES) safe = safe.slice(0, -1)
  return safe
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
