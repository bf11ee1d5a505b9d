import * as v from 'valibot'
import { MAX_ACKS_PER_EVENT, MAX_ATTRS_BYTES, MAX_PRESENCE_SUBSCRIPTIONS } from '../constants.js'
import {
  BinarySchema,
  LinkIdSchema,
  MediaIdSchema,
  MessageIdSchema,
  RoomIdSchema,
  UserIdSchema,
  userIdList,
} from './ids.js'
import type { InferArgs } from './parse.js'
import { SignalDataSchema } from './signal-data.js'

/**
 * The payloads of every client-to-server event, as schemas: the server parses each argument with these
 * before any handler runs (and the fuzz tests draw random payloads from them). `args` lists the
 * arguments in order; `ack` says whether the client asks for an answer.
 *
 * `ClientToServerEvents` in `signaling-events.ts` is the typed view of the same table; a test checks
 * that each schema's output fits it.
 */

export const RelayTargetSchema = v.object({ to: UserIdSchema })

export const LinkRequestSchema = v.object({ to: UserIdSchema })

export const LinkSignalSchema = v.object({ to: UserIdSchema, link: LinkIdSchema, data: SignalDataSchema })

export const RoomRefSchema = v.object({ room: RoomIdSchema })

export const RoomSendSchema = v.object({
  room: RoomIdSchema,
  mid: v.exactOptional(MessageIdSchema),
  /** Checked against the message's type by the server (`isMtype`), which answers `invalid-mtype`. */
  mtype: v.exactOptional(v.number()),
  attrs: v.exactOptional(v.pipe(v.string(), v.maxBytes(MAX_ATTRS_BYTES, `attrs of at most ${MAX_ATTRS_BYTES} bytes`))),
})

/** One delivery by its sender and mid. */
export const DeliveryRefSchema = v.object({ from: UserIdSchema, mid: MessageIdSchema })

export const MessageAckSchema = v.object({
  deliveries: v.pipe(
    v.array(DeliveryRefSchema),
    v.maxLength(MAX_ACKS_PER_EVENT, `at most ${MAX_ACKS_PER_EVENT} deliveries`),
  ),
})

export const MediaRefSchema = v.object({ mediaId: MediaIdSchema })

export const MediaHoldersRequestSchema = v.object({
  mediaId: MediaIdSchema,
  /** Named by the media's message: the server lists it among the holders when it is online. */
  uploader: v.exactOptional(UserIdSchema),
})

export const PresenceUsersSchema = v.object({ users: userIdList(MAX_PRESENCE_SUBSCRIPTIONS) })

/** A frame to relay; the relay checks it against MAX_RELAY_FRAME_BYTES and decodes it (`protocol-error`). */
export const RelayFrameBytesSchema = BinarySchema

/** An encoded message (`encodeMessage`); `decodeMessage` holds it to MAX_MESSAGE_BYTES (`message-too-large`). */
export const MessageBytesSchema = BinarySchema

export interface EventSpec {
  readonly args: readonly v.GenericSchema[]
  readonly ack: boolean
}

export const CLIENT_EVENTS = {
  'relay:frame': { args: [RelayTargetSchema, RelayFrameBytesSchema], ack: false },
  'link:request': { args: [LinkRequestSchema], ack: true },
  'link:signal': { args: [LinkSignalSchema], ack: true },
  'room:join': { args: [RoomRefSchema], ack: true },
  'room:leave': { args: [RoomRefSchema], ack: true },
  'room:members': { args: [RoomRefSchema], ack: true },
  'room:send': { args: [RoomSendSchema, MessageBytesSchema], ack: true },
  'message:ack': { args: [MessageAckSchema], ack: true },
  'media:have': { args: [MediaRefSchema], ack: false },
  'media:holders': { args: [MediaHoldersRequestSchema], ack: true },
  'presence:subscribe': { args: [PresenceUsersSchema], ack: true },
  'presence:unsubscribe': { args: [PresenceUsersSchema], ack: true },
} as const satisfies Record<string, EventSpec>

export type ClientEventName = keyof typeof CLIENT_EVENTS

/** The parsed arguments of a client event, in order. */
export type ClientEventArgs<E extends ClientEventName> = InferArgs<(typeof CLIENT_EVENTS)[E]['args']>

/** The handshake's `auth`: a dev-mode user id or a token, and the users whose presence to follow from the start. */
export const HandshakeAuthSchema = v.object({
  userId: v.exactOptional(v.unknown()),
  token: v.exactOptional(v.unknown()),
  presence: v.exactOptional(userIdList(MAX_PRESENCE_SUBSCRIPTIONS)),
})
