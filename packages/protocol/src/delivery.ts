import type { FerryMessage } from './messages.js'

/**
 * Messages routed by the signaling server (room messages, and sends of the server API on behalf of a
 * user) reach each recipient as a delivery: the message plus its envelope. mtype ranges follow
 * LiveData RTM: 30 text, 40 image, 41 audio, 42 video, 50 file, 51–127 defined by the application.
 */
export const MTYPE = {
  text: 30,
  image: 40,
  audio: 41,
  video: 42,
  file: 50,
  appMin: 51,
  appMax: 127,
} as const

/** Whether `mtype` is in one of MTYPE's ranges. File sends take 40–42, 50 and 51–127; text sends 30 and 51–127. */
export function isMtype(mtype: unknown, kind: 'file' | 'text'): mtype is number {
  if (typeof mtype !== 'number' || !Number.isInteger(mtype)) return false
  if (mtype >= MTYPE.appMin && mtype <= MTYPE.appMax) return true
  if (kind === 'text') return mtype === MTYPE.text
  return mtype === MTYPE.image || mtype === MTYPE.audio || mtype === MTYPE.video || mtype === MTYPE.file
}

/** Who a delivery was addressed to, as the recipient sees it. */
export type DeliveryTarget =
  | { type: 'user' }
  | { type: 'users' }
  | { type: 'group'; gid: string }
  | { type: 'room'; rid: string }
  | { type: 'broadcast' }

/** The envelope of a server-routed message; the message itself travels as `encodeMessage` bytes. */
export interface DeliveryMeta {
  /** Message id: the sender's (or one the server made); a resend with the same mid is not delivered twice. */
  mid: string
  /** Server time of the send, ms since the epoch. */
  mtime: number
  from: string
  mtype: number
  /** Custom attributes (at most MAX_ATTRS_BYTES of UTF-8); '' when none. */
  attrs: string
  target: DeliveryTarget
  /**
   * True when it was handed over at login from the user's inbox: kept while they were offline, or sent
   * while they were online and not acknowledged before their connection dropped.
   */
  offline: boolean
}

/**
 * One delivery as its recipient acknowledges it (`message:ack`): by its sender and mid, which name it
 * among everything addressed to that recipient (a sender's mids are unique within the retention time).
 */
export interface DeliveryRef {
  from: string
  mid: string
}

export interface Delivery extends DeliveryMeta {
  message: FerryMessage
}

/** What a server-routed send returns (LiveData: mid and mtime). */
export interface SendReceipt {
  mid: string
  mtime: number
}
