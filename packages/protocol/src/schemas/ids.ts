import * as v from 'valibot'
import {
  LINK_ID_PATTERN,
  MEDIA_ID_PATTERN,
  MESSAGE_ID_PATTERN,
  ROOM_ID_PATTERN,
  USER_ID_PATTERN,
} from '../constants.js'

/**
 * The ids and small values every other schema is built from, each with the pattern from
 * `constants.ts` that makes it safe in room names, logs, URLs and paths.
 */

export const UserIdSchema = v.pipe(v.string(), v.regex(USER_ID_PATTERN, 'a user id'))

export const RoomIdSchema = v.pipe(v.string(), v.regex(ROOM_ID_PATTERN, 'a room id'))

export const MediaIdSchema = v.pipe(v.string(), v.regex(MEDIA_ID_PATTERN, 'a media id'))

export const LinkIdSchema = v.pipe(v.string(), v.regex(LINK_ID_PATTERN, 'a link id'))

export const MessageIdSchema = v.pipe(v.string(), v.regex(MESSAGE_ID_PATTERN, 'a message id'))

/** A whole number of bytes, items or milliseconds: 0 up to 2^53 - 1. */
export const CountSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0))

/** A lowercase hex SHA-256. */
export const Sha256HexSchema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'))

/** At most `max` user ids, each valid; duplicates are the caller's to drop. */
export function userIdList(max: number) {
  return v.pipe(v.array(UserIdSchema), v.maxLength(max, `at most ${max} user ids`))
}

/**
 * Binary data as a transport hands it over: a Uint8Array (Node's Buffer is one) or an ArrayBuffer
 * (browsers), as a Uint8Array. Its size is bounded by the transport (Socket.IO's maxHttpBufferSize);
 * the decoder that reads it (frames, messages) checks its own limit and answers with its own code.
 */
export const BinarySchema = v.pipe(
  v.union([v.instance(Uint8Array), v.instance(ArrayBuffer)], 'binary data'),
  v.transform((data): Uint8Array => (data instanceof Uint8Array ? data : new Uint8Array(data))),
)
