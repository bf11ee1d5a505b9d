/** The request headers the server reads, checked; every other header is left unread. */
export interface RequestHeaders {
  /** The body's declared length; undefined for a chunked body or none. */
  contentLength: number | undefined
  /** The body comes in chunks (`Transfer-Encoding: chunked`), its length unknown until it ends. */
  chunked: boolean
  contentType: string | undefined
  range: string | undefined
  authorization: string | undefined
  origin: string | undefined
  /** Server API file sends: the file's name and attrs, still URI-encoded. */
  fileName: string | undefined
  attrs: string | undefined
}

export type HeadersParse = { ok: true; headers: RequestHeaders } | { ok: false; message: string }

/** The headers read, by lowercase name. */
const READ = {
  'content-length': 'contentLength',
  'transfer-encoding': 'transferEncoding',
  'content-type': 'contentType',
  range: 'range',
  authorization: 'authorization',
  origin: 'origin',
  'x-ferry-file-name': 'fileName',
  'x-ferry-attrs': 'attrs',
} as const

type ReadName = keyof typeof READ
type RawValues = { [K in (typeof READ)[ReadName]]?: string }

/** Printable ASCII (tabs too): what every header the server reads is made of. */
const PRINTABLE = /^[\t\x20-\x7e]*$/
/** Whole digits; the value must also be a safe integer. */
const LENGTH = /^\d{1,16}$/

/**
 * Reads the headers the server uses from `rawHeaders` (name, value, name, value…, as sent). Each may
 * be sent once: Node keeps the first of a repeated Authorization or Content-Type and joins others
 * with commas, so a repeat is refused rather than read one way here and another way by a proxy in
 * front. Values must be printable ASCII. The body's framing is checked on its own: Content-Length is
 * whole digits, Transfer-Encoding is `chunked` alone, and never both (request smuggling). Never throws.
 */
export function parseHeaders(rawHeaders: readonly string[]): HeadersParse {
  const values: RawValues = {}
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase()
    if (!Object.hasOwn(READ, name)) continue
    const field = READ[name as ReadName]
    const value = (rawHeaders[i + 1] ?? '').trim()
    if (values[field] !== undefined) return refuse(`the ${name} header is sent more than once`)
    if (!PRINTABLE.test(value)) return refuse(`the ${name} header must be printable ASCII`)
    values[field] = value
  }
  const { transferEncoding, contentLength } = values
  if (transferEncoding !== undefined && contentLength !== undefined) {
    return refuse('a request may not have both Content-Length and Transfer-Encoding')
  }
  if (transferEncoding !== undefined && transferEncoding.toLowerCase() !== 'chunked') {
    return refuse('the only Transfer-Encoding taken is chunked')
  }
  if (contentLength !== undefined && !(LENGTH.test(contentLength) && Number.isSafeInteger(Number(contentLength)))) {
    return refuse('Content-Length must be a whole number of bytes')
  }
  return {
    ok: true,
    headers: {
      contentLength: contentLength === undefined ? undefined : Number(contentLength),
      chunked: transferEncoding !== undefined,
      contentType: values.contentType,
      range: values.range,
      authorization: values.authorization,
      origin: values.origin,
      fileName: values.fileName,
      attrs: values.attrs,
    },
  }
}

function refuse(message: string): HeadersParse {
  return { ok: false, message }
}
