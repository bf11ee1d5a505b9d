import * as v from 'valibot'
import { MAX_ATTRS_BYTES, MAX_ERROR_MESSAGE_BYTES, MAX_PRESENCE_SUBSCRIPTIONS } from '../constants.js'
import { type FerryErrorCode, isErrorCode } from '../errors.js'
import {
  BinarySchema,
  CountSchema,
  LinkIdSchema,
  MessageIdSchema,
  RoomIdSchema,
  UserIdSchema,
  userIdList,
} from './ids.js'
import type { InferArgs } from './parse.js'
import { SignalDataSchema } from './signal-data.js'

/**
 * The payloads of every server-to-client event, as schemas. A client parses each before acting on it:
 * the server forwards what other users sent (signals, relayed frames, messages), so a bug or a newer
 * server can never make a client act on a shape it does not know.
 */

/** ICE servers handed out at login, at most: a TURN server or two with their URLs per transport. */
export const MAX_ICE_SERVERS = 8

/** An error code from the server; one this version does not know reads as `unknown`. */
export const ErrorCodeSchema = v.pipe(
  v.string(),
  v.transform((code): FerryErrorCode => (isErrorCode(code) ? code : 'unknown')),
)

/** A human-readable message from the server, cut to MAX_ERROR_MESSAGE_BYTES characters at most. */
const ServerMessageSchema = v.pipe(
  v.string(),
  v.transform((text) => text.slice(0, MAX_ERROR_MESSAGE_BYTES)),
)

const UrlSchema = v.pipe(v.string(), v.maxLength(1024))

const IceServerSchema = v.object({
  urls: v.union([UrlSchema, v.pipe(v.array(UrlSchema), v.maxLength(MAX_ICE_SERVERS))]),
  username: v.exactOptional(v.pipe(v.string(), v.maxLength(1024))),
  credential: v.exactOptional(v.pipe(v.string(), v.maxLength(1024))),
})

const MediaOfferSchema = v.object({
  key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,256}$/)),
  maxBytes: CountSchema,
  retentionMs: CountSchema,
})

export const SessionReadySchema = v.object({
  userId: UserIdSchema,
  online: userIdList(MAX_PRESENCE_SUBSCRIPTIONS),
  iceServers: v.pipe(v.array(IceServerSchema), v.maxLength(MAX_ICE_SERVERS)),
  relay: v.boolean(),
  relayBytesPerSecond: v.exactOptional(v.pipe(CountSchema, v.minValue(1))),
  relayWindowBytes: v.exactOptional(v.pipe(CountSchema, v.minValue(1))),
  media: v.exactOptional(MediaOfferSchema),
})

export const SessionEndedSchema = v.object({ code: ErrorCodeSchema, message: ServerMessageSchema })

export const PresenceSchema = v.object({ userId: UserIdSchema })

export const LinkRequestFromSchema = v.object({ from: UserIdSchema })

export const LinkSignalFromSchema = v.object({ from: UserIdSchema, link: LinkIdSchema, data: SignalDataSchema })

export const RelaySourceSchema = v.object({ from: UserIdSchema })

export const RelayRefusedSchema = v.object({ to: UserIdSchema, code: ErrorCodeSchema, message: ServerMessageSchema })

export const RoomMemberSchema = v.object({
  room: RoomIdSchema,
  userId: UserIdSchema,
  joined: v.boolean(),
  count: CountSchema,
})

const DeliveryTargetSchema = v.variant('type', [
  v.object({ type: v.literal('user') }),
  v.object({ type: v.literal('users') }),
  v.object({ type: v.literal('group'), gid: RoomIdSchema }),
  v.object({ type: v.literal('room'), rid: RoomIdSchema }),
  v.object({ type: v.literal('broadcast') }),
])

export const DeliveryMetaSchema = v.object({
  mid: MessageIdSchema,
  mtime: CountSchema,
  from: UserIdSchema,
  mtype: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255)),
  attrs: v.pipe(v.string(), v.maxBytes(MAX_ATTRS_BYTES)),
  target: DeliveryTargetSchema,
  offline: v.boolean(),
})

export const SERVER_EVENTS = {
  'session:ready': { args: [SessionReadySchema] },
  'session:ended': { args: [SessionEndedSchema] },
  'presence:online': { args: [PresenceSchema] },
  'presence:offline': { args: [PresenceSchema] },
  'link:request': { args: [LinkRequestFromSchema] },
  'link:signal': { args: [LinkSignalFromSchema] },
  'relay:frame': { args: [RelaySourceSchema, BinarySchema] },
  'relay:refused': { args: [RelayRefusedSchema] },
  'room:member': { args: [RoomMemberSchema] },
  'message:deliver': { args: [DeliveryMetaSchema, BinarySchema] },
} as const satisfies Record<string, { args: readonly v.GenericSchema[] }>

export type ServerEventName = keyof typeof SERVER_EVENTS

/** The parsed arguments of a server event, in order. */
export type ServerEventArgs<E extends ServerEventName> = InferArgs<(typeof SERVER_EVENTS)[E]['args']>
