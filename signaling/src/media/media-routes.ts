import { MEDIA_HTTP_PREFIX, MEDIA_ID_PATTERN } from '@ferry/protocol'
import type { MediaRange } from './media-store.js'

/** A request to a media route, its parts checked; see `media-http.ts` in `@ferry/protocol`. */
export type MediaRoute =
  | { kind: 'start'; mediaId: string }
  | { kind: 'append'; mediaId: string; offset: number }
  | { kind: 'info'; mediaId: string }
  | { kind: 'download'; mediaId: string; range: MediaRange | undefined }
  | { kind: 'delete'; mediaId: string }

/** A request no route takes: a path that is none, a method the path does not take, or bad parts. */
export interface RouteMiss {
  kind: 'miss'
  status: 400 | 404 | 405
  message: string
  /** On 405: the methods the path takes. */
  allow?: string
}

/** `bytes=N-` (the contract's resume) or `bytes=N-M`. */
const RANGE = /^bytes=(\d{1,16})-(\d{0,16})$/
const WHOLE = /^\d{1,16}$/

/** Whether a request path is under the media prefix (`/media` itself included). */
export function isMediaPath(path: string): boolean {
  return path === MEDIA_HTTP_PREFIX.slice(0, -1) || path.startsWith(MEDIA_HTTP_PREFIX)
}

/**
 * Parses a media route from the request's path as sent (see `RequestTarget`), without decoding it: a
 * media id is base64url, so an id with `%`, `.` or `/` in it is simply not one. Never throws.
 */
export function parseMediaRoute(
  method: string,
  path: string,
  query: URLSearchParams,
  range: string | undefined,
): MediaRoute | RouteMiss {
  const [mediaId = '', part, ...rest] = path.slice(MEDIA_HTTP_PREFIX.length).split('/')
  if (mediaId === '' || rest.length > 0 || (part !== undefined && part !== 'content' && part !== 'info')) {
    return miss(404, 'no such media route')
  }
  const allow = part === undefined ? 'GET, POST, DELETE' : part === 'content' ? 'PUT' : 'GET'
  const allowed = allow.split(', ').includes(method)
  if (!allowed) return { kind: 'miss', status: 405, message: `${method} is not a method of this route`, allow }
  if (!MEDIA_ID_PATTERN.test(mediaId)) return miss(400, 'a media id is 32 of A-Z a-z 0-9 _ -')

  if (part === 'content') {
    const offset = query.get('offset') ?? ''
    if (!WHOLE.test(offset) || !Number.isSafeInteger(Number(offset))) {
      return miss(400, 'offset must be a whole number of bytes')
    }
    return { kind: 'append', mediaId, offset: Number(offset) }
  }
  if (part === 'info') return { kind: 'info', mediaId }
  if (method === 'POST') return { kind: 'start', mediaId }
  if (method === 'DELETE') return { kind: 'delete', mediaId }
  if (range === undefined) return { kind: 'download', mediaId, range: undefined }
  const match = RANGE.exec(range.trim())
  if (!match) return miss(400, 'the only ranges served are bytes=N- and bytes=N-M')
  const start = Number(match[1])
  const end = match[2] === '' ? undefined : Number(match[2])
  return { kind: 'download', mediaId, range: end === undefined ? { start } : { start, end } }
}

function miss(status: 400 | 404, message: string): RouteMiss {
  return { kind: 'miss', status, message }
}
