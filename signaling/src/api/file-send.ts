import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import {
  encodeMessage,
  type FileMessage,
  type FileSendResponse,
  type ImageMessage,
  MEDIA_ID_BYTES,
  type MediaInfo,
  MTYPE,
  type SendTarget,
} from '@ferry/protocol'
import type { RequestHeaders } from '../http/request-headers.js'
import { MEDIA_REFUSAL_STATUS } from '../media/media-http.js'
import { isMediaStoreError } from '../media/media-refusal.js'
import type { MediaStore } from '../media/media-store.js'
import { ApiRefusal, badArgument } from './api-refusal.js'
import { storedImageDimensions } from './image-dimensions.js'
import type { SendContext } from './message-send.js'
import { assertMessage, checkAttrs, checkMid, checkMtype } from './send-envelope.js'
import { resolveTarget, type SendKind } from './send-target.js'
import type { SentFiles } from './sent-files.js'

/** The file's name when the upload names none. */
const DEFAULT_FILE_NAME = 'file'
/** The file's mime when the upload has no Content-Type: bytes of no known kind. */
const DEFAULT_MIME = 'application/octet-stream'

export interface FileSendContext extends SendContext {
  /** The media store; a server without one refuses file sends (409 `storage-full`). */
  media: MediaStore | undefined
  sent: SentFiles
}

/** A file send with its target checked; the body is still to come. */
export interface FileSend {
  kind: SendKind
  from: string
  target: SendTarget
  mtype: number
  mid: string | undefined
  attrs: string
  fileName: string
  mime: string
}

/** The envelope of a file send from its query (`mtype`, `mid`) and headers (name, attrs, mime). */
export function fileEnvelope(
  query: URLSearchParams,
  headers: RequestHeaders,
): Pick<FileSend, 'mtype' | 'mid' | 'attrs' | 'fileName' | 'mime'> {
  const mtypeText = query.get('mtype')
  const mtype = checkMtype(mtypeText === null ? MTYPE.file : wholeNumber(mtypeText), 'file')
  return {
    mtype,
    mid: checkMid(query.get('mid') ?? undefined),
    attrs: checkAttrs(uriHeader(headers.attrs, 'x-ferry-attrs')),
    fileName: uriHeader(headers.fileName, 'x-ferry-file-name') ?? DEFAULT_FILE_NAME,
    mime: headers.contentType ?? DEFAULT_MIME,
  }
}

/**
 * Stores the body as a new media of `from` and delivers a file message for it (an image message,
 * measured from the image, for mtype 40). The target is checked before any byte is stored and resolved
 * again once the file is in; a send that fails after the store took the file removes it again.
 */
export async function sendApiFile(
  context: FileSendContext,
  send: FileSend,
  body: Readable,
  length: number | undefined,
): Promise<FileSendResponse> {
  const store = context.media
  if (!store) throw new ApiRefusal(409, 'storage-full', 'this server keeps no media (started with media off)')
  const first = send.mid === undefined ? undefined : await context.sent.get(send.from, send.mid)
  if (first) return first
  await resolveTarget(send.kind, send.from, send.target, context)
  const mediaId = randomBytes(MEDIA_ID_BYTES).toString('base64url')
  const info = await stored(() =>
    store.put(mediaId, send.from, { fileName: send.fileName, mime: send.mime }, body, length),
  )
  try {
    const message = await fileMessage(store, info, send.mtype)
    assertMessage(message)
    const { users, ...recipients } = await resolveTarget(send.kind, send.from, send.target, context)
    const receipt = await context.deliveries.send(
      {
        from: send.from,
        mtype: send.mtype,
        attrs: send.attrs,
        ...recipients,
        recipients: users,
        ...(send.mid === undefined ? {} : { mid: send.mid }),
      },
      encodeMessage(message),
    )
    const response: FileSendResponse = { ...receipt, mediaId }
    await context.sent.remember(send.from, response)
    return response
  } catch (error) {
    await store.delete(mediaId, send.from).catch(() => {})
    throw error
  }
}

async function fileMessage(store: MediaStore, info: MediaInfo, mtype: number): Promise<FileMessage | ImageMessage> {
  if (mtype !== MTYPE.image) return { type: 'file', ...info }
  const size = await storedImageDimensions(store, info.mediaId)
  if (!size) throw badArgument('mtype 40 needs an image whose size can be read (JPEG, PNG, GIF, BMP, WebP, …)')
  return { type: 'image', ...info, ...size }
}

/** Runs a store call, turning its refusals into answers with the media routes' statuses. */
async function stored<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task()
  } catch (error) {
    if (isMediaStoreError(error)) throw new ApiRefusal(MEDIA_REFUSAL_STATUS[error.reason], error.code, error.message)
    throw error
  }
}

/** A header sent through encodeURIComponent, decoded; undefined when absent. */
function uriHeader(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  try {
    return decodeURIComponent(value)
  } catch {
    throw badArgument(`${name} must be encodeURIComponent'ed UTF-8`)
  }
}

/** A whole number from a query string, or NaN (which the check after it refuses). */
function wholeNumber(text: string): number {
  return /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN
}
