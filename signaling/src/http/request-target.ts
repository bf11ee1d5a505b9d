/** A request target in origin-form (`/path?query`), split into what the routes read. */
export interface RequestTarget {
  /**
   * The path as sent: still percent-encoded and never normalised, so `%2F` is not a slash and no
   * route can be reached through another. Starts with exactly one `/`; no segment is `.` or `..`.
   */
  path: string
  /** The fields of the query after `?` (none when there is none), decoded. */
  query: URLSearchParams
}

export type TargetParse = { ok: true; target: RequestTarget } | { ok: false; message: string }

/**
 * What a target may be made of: visible ASCII but `#` (clients never send a fragment). Browsers send
 * a few characters RFC 3986 wants encoded (`|`, `^`, `[`) as they are, so those are taken.
 */
const TARGET_CHARS = /^[\x21\x22\x24-\x7e]+$/
/** A `%` not followed by two hex digits. */
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/

/**
 * Parses a raw request target without `new URL()`: only origin-form is served. The asterisk form
 * (`OPTIONS *`), the absolute form (`http://host/path`, for proxies: this server is none and Ferry's
 * clients never send it) and the authority form are refused, as are `//` paths (which URL parsers
 * read as a host), bad percent-encoding, encoded bytes that are not UTF-8, and dot segments (paths
 * are matched as sent, so a `..` could only be an attempt to reach outside a route). Never throws.
 */
export function parseTarget(raw: string): TargetParse {
  if (raw === '*') return refuse('the asterisk target (OPTIONS *) is not served: ask for a path')
  if (!raw.startsWith('/')) return refuse('only targets of the form /path?query are served')
  if (raw.startsWith('//')) return refuse('a path may not start with //')
  if (!TARGET_CHARS.test(raw)) return refuse('a target is visible ASCII, without #')
  if (BAD_PERCENT.test(raw)) return refuse('a % in the target is not followed by two hex digits')
  if (!decodesAsUtf8(raw)) return refuse('the percent-encoded bytes of the target are not UTF-8')
  const q = raw.indexOf('?')
  const path = q === -1 ? raw : raw.slice(0, q)
  if (path.split('/').some(isDotSegment)) return refuse('a path segment may not be . or ..')
  return { ok: true, target: { path, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) } }
}

function decodesAsUtf8(raw: string): boolean {
  try {
    decodeURIComponent(raw)
    return true
  } catch {
    return false
  }
}

/** `.` or `..`, plain or percent-encoded (`%2e%2E`, `.%2e`). */
function isDotSegment(segment: string): boolean {
  const plain = segment.toLowerCase().replaceAll('%2e', '.')
  return plain === '.' || plain === '..'
}

function refuse(message: string): TargetParse {
  return { ok: false, message }
}
