import * as v from 'valibot'
import { MAX_MIME_BYTES, MAX_NAME_BYTES } from '../constants.js'
import { CountSchema, MediaIdSchema, Sha256HexSchema, UserIdSchema } from './ids.js'

/**
 * The fields of each message type, as schemas: `MessageSchema` for a message an application hands
 * over (its thumbnail as bytes), `MessageJsonSchema` for the JSON part of an encoded message (see
 * `message-codec.ts`), where a thumbnail has no place: it travels after the JSON, as raw bytes, and
 * only file and image messages carry one. Unknown fields are dropped; every known one has its type.
 */

/** A lone surrogate: text with one has no UTF-8 form, so it could not be stored or shown as it was sent. */
const LONE_SURROGATE = /\p{Cs}/u

/** Text with a UTF-8 form, of at most `maxBytes` bytes when given. */
function text(maxBytes?: number) {
  const wellFormed = v.check((value: string) => !LONE_SURROGATE.test(value), 'text without lone surrogates')
  if (maxBytes === undefined) return v.pipe(v.string(), wellFormed)
  return v.pipe(v.string(), wellFormed, v.maxBytes(maxBytes, `at most ${maxBytes} bytes of UTF-8`))
}

export const MediaInfoSchema = v.object({
  mediaId: MediaIdSchema,
  uploader: UserIdSchema,
  fileName: text(MAX_NAME_BYTES),
  size: v.pipe(CountSchema, v.minValue(1, 'media of at least one byte')),
  mime: text(MAX_MIME_BYTES),
  sha256: Sha256HexSchema,
  expiresAt: CountSchema,
})

const NO_THUMBNAIL = v.exactOptional(v.never('no thumbnail here'))

const TEXT_ENTRIES = { type: v.literal('text'), text: text(), thumbnail: NO_THUMBNAIL }

const FILE_ENTRIES = {
  type: v.literal('file'),
  ...MediaInfoSchema.entries,
  text: v.exactOptional(text()),
  thumbnailMime: v.exactOptional(text(MAX_MIME_BYTES)),
}

const IMAGE_ENTRIES = {
  ...FILE_ENTRIES,
  type: v.literal('image'),
  width: CountSchema,
  height: CountSchema,
  thumbnailWidth: v.exactOptional(CountSchema),
  thumbnailHeight: v.exactOptional(CountSchema),
}

const MESSAGE_TYPES = 'a message of type text, file or image'

/** The JSON part of an encoded message: every field but the thumbnail, which follows the JSON. */
export const MessageJsonSchema = v.variant(
  'type',
  [
    v.object(TEXT_ENTRIES),
    v.object({ ...FILE_ENTRIES, thumbnail: NO_THUMBNAIL }),
    v.object({ ...IMAGE_ENTRIES, thumbnail: NO_THUMBNAIL }),
  ],
  MESSAGE_TYPES,
)

const THUMBNAIL = v.exactOptional(v.instance(Uint8Array, 'a thumbnail as a Uint8Array'))

/**
 * A message as an application gives it, the thumbnail (file and image only) as bytes. A field set to
 * `undefined` counts as absent, as it would once written as JSON.
 */
export const MessageSchema = v.pipe(
  v.unknown(),
  v.transform(withoutUndefined),
  v.variant(
    'type',
    [
      v.object(TEXT_ENTRIES),
      v.object({ ...FILE_ENTRIES, thumbnail: THUMBNAIL }),
      v.object({ ...IMAGE_ENTRIES, thumbnail: THUMBNAIL }),
    ],
    MESSAGE_TYPES,
  ),
)

/** The fields that go into a message's JSON, per type, in the order they are written. */
export const MESSAGE_JSON_KEYS = {
  text: jsonKeys(TEXT_ENTRIES),
  file: jsonKeys(FILE_ENTRIES),
  image: jsonKeys(IMAGE_ENTRIES),
} as const

function jsonKeys(entries: object): readonly string[] {
  return Object.keys(entries).filter((key) => key !== 'thumbnail')
}

/** A plain object's own fields but those set to `undefined`; anything else as it is. */
function withoutUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined))
}
