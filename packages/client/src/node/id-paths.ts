import { FerryError } from '@ferry/protocol'

/**
 * Ids that name files and directories (user ids, media ids) as path segments. Ids come from peers
 * and the server; their patterns keep them to letters, digits and `_.@:-`, which is not enough for
 * a path: `:` names a stream on Windows, a trailing `.` vanishes there, `CON` is a device, and file
 * systems that ignore case (macOS, Windows) would make `Ab` and `aB` one file. So lowercase letters,
 * digits, `_` and `-` stay as they are and every other byte becomes `~` and two lowercase hex digits:
 * one id, one segment, and two ids never share one.
 */
const KEPT = /^[a-z0-9_-]$/

/** Windows device names: as a file name (with any extension) they open the device, not a file. */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/

const HEX = '0123456789abcdef'

export function idSegment(id: string): string {
  if (id.length === 0) throw new FerryError('invalid-argument', 'an empty id names no file')
  let out = ''
  for (const byte of new TextEncoder().encode(id)) {
    const char = String.fromCharCode(byte)
    out += KEPT.test(char) ? char : `~${HEX[byte >> 4]}${HEX[byte & 15]}`
  }
  // The escape keeps `con` from being a device: `~63on` is a plain name.
  return DEVICE_NAME.test(out) ? `~${out.charCodeAt(0).toString(16)}${out.slice(1)}` : out
}

/** The id a segment made by `idSegment` stands for; undefined for a name it did not make. */
export function idFromSegment(segment: string): string | undefined {
  const bytes: number[] = []
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!
    if (char === '~') {
      const hex = segment.slice(i + 1, i + 3)
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else if (KEPT.test(char)) bytes.push(char.charCodeAt(0))
    else return undefined
  }
  if (bytes.length === 0) return undefined
  const id = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes))
  return idSegment(id) === segment ? id : undefined
}
