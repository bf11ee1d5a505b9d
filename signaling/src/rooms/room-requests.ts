import { type FerryMessage, isMtype, MTYPE } from '@ferry/protocol'
import { type Refusal, refusal } from '../events/client-event.js'

/** The envelope fields of a room send, once its message decoded. */
export interface RoomEnvelope {
  mid?: string
  mtype: number
  attrs: string
}

/**
 * The envelope of a parsed `room:send` (mid, mtype and attrs have their shapes already) checked
 * against its message: an mtype must fit the message's type (`invalid-mtype`).
 */
export function roomEnvelope(
  msg: { mid?: string | undefined; mtype?: number | undefined; attrs?: string | undefined },
  message: FerryMessage,
): RoomEnvelope | Refusal {
  const mtype = msg.mtype ?? defaultMtype(message)
  if (!isMtype(mtype, message.type === 'text' ? 'text' : 'file')) {
    return refusal('invalid-mtype', `mtype ${mtype} does not fit a ${message.type} message`)
  }
  return { ...(msg.mid === undefined ? {} : { mid: msg.mid }), mtype, attrs: msg.attrs ?? '' }
}

/** The mtype a message gets when the sender names none (LiveData: 30 text, 40 image, 50 file). */
export function defaultMtype(message: FerryMessage): number {
  if (message.type === 'text') return MTYPE.text
  return message.type === 'image' ? MTYPE.image : MTYPE.file
}
