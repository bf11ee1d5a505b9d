import * as v from 'valibot'
import { MAX_HOLDERS_ANSWERED, MAX_PRESENCE_SUBSCRIPTIONS } from '../constants.js'
import { CountSchema, MessageIdSchema, userIdList } from './ids.js'
import { ErrorCodeSchema } from './server-events.js'

/**
 * The answers (acks) the server gives to client requests, as schemas: a client parses each before
 * it believes it. A refusal is `{ ok: false, code, message }`; an acceptance `{ ok: true, ... }`.
 */

const RefusalSchema = v.object({
  ok: v.literal(false),
  code: ErrorCodeSchema,
  message: v.pipe(
    v.string(),
    v.transform((text) => text.slice(0, 1024)),
  ),
})

/** An answer that carries `entries` when it is an acceptance. */
export function answerSchema<const E extends v.ObjectEntries>(entries: E) {
  return v.variant('ok', [v.object({ ok: v.literal(true), ...entries }), RefusalSchema])
}

export const AckSchema = answerSchema({})

/** Room members: a room holds at most the server's room limit, far below this sanity bound. */
const MAX_MEMBERS_ANSWERED = 100_000

export const MembersAnswerSchema = answerSchema({ members: userIdList(MAX_MEMBERS_ANSWERED) })

export const ReceiptAnswerSchema = answerSchema({ mid: MessageIdSchema, mtime: CountSchema })

export const HoldersAnswerSchema = answerSchema({ holders: userIdList(MAX_HOLDERS_ANSWERED) })

export const OnlineAnswerSchema = answerSchema({ online: userIdList(MAX_PRESENCE_SUBSCRIPTIONS) })

/** The answer schema of each client request that has one. */
export const ANSWERS = {
  'link:request': AckSchema,
  'link:signal': AckSchema,
  'room:join': MembersAnswerSchema,
  'room:leave': AckSchema,
  'room:members': MembersAnswerSchema,
  'room:send': ReceiptAnswerSchema,
  'message:ack': AckSchema,
  'media:holders': HoldersAnswerSchema,
  'presence:subscribe': OnlineAnswerSchema,
  'presence:unsubscribe': AckSchema,
} as const
