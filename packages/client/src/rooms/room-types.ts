import type { RoomMemberEvent } from '@ferry/protocol'

/** Options of `sendRoomMessage`: the delivery's envelope. */
export interface RoomSendOptions {
  /** Dedupe key (1–64 of A-Z a-z 0-9 _ -): a resend with the same mid is not delivered twice. Default: one the server makes. */
  mid?: string
  /** See `MTYPE`. Default: 30 for text, 40 for images, 50 for files; else 51–127 (and 41, 42 for media). */
  mtype?: number
  /** Custom attributes for the members, at most MAX_ATTRS_BYTES of UTF-8. */
  attrs?: string
}

export type RoomEvents = {
  /** Someone joined or left a room this user is in; `count` is the members after the change. */
  'room-member': RoomMemberEvent
}
