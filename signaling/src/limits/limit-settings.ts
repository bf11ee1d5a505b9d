import { FerryError } from '@ferry/protocol'
import type { Rate } from './bucket-table.js'

/**
 * What one user, and one network address, may make the server do. Every rate is kept by user id (or
 * address), not by connection: reconnecting does not refill anything. See `SignalingServerOptions.limits`.
 */
export interface LimitSettings {
  /** Every Socket.IO event a user sends, whatever it is (relay frames included); past it the user is cut off. */
  events: Rate
  /** `link:request` and `link:signal`: past it, `rate-limited` answers. */
  signals: Rate
  /** `room:join`, `room:leave`, `room:members` and `room:send`. */
  rooms: Rate
  /** `media:have` and `media:holders`. */
  media: Rate
  /** `presence:subscribe` and `presence:unsubscribe`. */
  presence: Rate
  /** Recipients of a user's room messages: a send to a room of n others takes n. */
  fanout: Rate
  /** `message:ack`: past it, `rate-limited` answers (the deliveries stay kept and come again at the next login). */
  acks: Rate
  /** Logins from one network address. */
  loginsPerAddress: Rate
  /** Logins as one user id (each replaces the previous session). */
  loginsPerUser: Rate
  /** Members one room may have; one more is refused with `too-many-recipients`. */
  maxRoomMembers: number
}

/**
 * Events per user per second, sustained, of every kind together. A relayed file is ~256 frames a
 * second at the default relay rate, plus its acks and a cmd now and then; a thousand leaves room for
 * chatty apps and still stops an unknown-event flood before it costs the server anything.
 */
const EVENTS: Rate = { perSecond: 1000, burst: 5000 }

/**
 * Signaling requests per user per second. One peer connection trickles tens of ICE candidates within
 * a second or two, and a client may open links to several peers at once (the burst).
 */
const SIGNALS: Rate = { perSecond: 50, burst: 200 }

/** Room requests per user per second: joins, leaves and sends are user actions, not streams. */
const ROOMS: Rate = { perSecond: 50, burst: 200 }

/** Media holder requests per user per second: one per upload or download, a burst for a gallery. */
const MEDIA: Rate = { perSecond: 50, burst: 200 }

/** Presence requests per user per second: each names up to MAX_PRESENCE_SUBSCRIPTIONS users. */
const PRESENCE: Rate = { perSecond: 10, burst: 50 }

/**
 * Room message recipients per user per second: a chat message a second to a full room of a thousand,
 * with a burst of ten such messages. A user cannot make the server fan out faster than this.
 */
const FANOUT: Rate = { perSecond: 1000, burst: 10_000 }

/**
 * Delivery acks per user per second. A client acks in batches of up to MAX_ACKS_PER_EVENT, at most
 * every ACK_BATCH_MS (100 ms) otherwise: this lets ~12,000 deliveries a second be acknowledged, and the
 * burst clears a full inbox at login many times over.
 */
const ACKS: Rate = { perSecond: 50, burst: 200 }

/**
 * Logins per address per second. An office or a carrier NAT puts many users behind one address, so
 * this is generous; it stops one host from making the server verify tokens in a tight loop.
 */
const LOGINS_PER_ADDRESS: Rate = { perSecond: 20, burst: 200 }

/**
 * Logins per user id per second. A client reconnects with backoff, a reloaded tab logs in once; two
 * sessions of one user replacing each other in a loop hit this at once.
 */
const LOGINS_PER_USER: Rate = { perSecond: 1, burst: 10 }

/**
 * Members of one room, at most. A room message fans out to every member; a thousand keeps one send's
 * cost bounded (and a user's fan-out rate lets one such send a second through).
 */
const MAX_ROOM_MEMBERS = 1000

export const DEFAULT_LIMITS: LimitSettings = {
  events: EVENTS,
  signals: SIGNALS,
  rooms: ROOMS,
  media: MEDIA,
  presence: PRESENCE,
  fanout: FANOUT,
  acks: ACKS,
  loginsPerAddress: LOGINS_PER_ADDRESS,
  loginsPerUser: LOGINS_PER_USER,
  maxRoomMembers: MAX_ROOM_MEMBERS,
}

/** The defaults with `overrides` on top, each checked. Throws `invalid-argument` naming the bad one. */
export function limitSettings(overrides: Partial<LimitSettings> = {}): LimitSettings {
  const settings: LimitSettings = { ...DEFAULT_LIMITS, ...overrides }
  for (const [name, value] of Object.entries(settings)) {
    if (name === 'maxRoomMembers') {
      if (!isWhole(value) || value < 1) throw bad(`limits.${name} must be a whole number, at least 1`)
    } else if (!isRate(value)) {
      throw bad(`limits.${name} must be { perSecond, burst } with perSecond > 0 and burst >= 1`)
    }
  }
  return settings
}

function isRate(value: unknown): value is Rate {
  if (typeof value !== 'object' || value === null) return false
  const { perSecond, burst } = value as Partial<Rate>
  return (
    typeof perSecond === 'number' &&
    Number.isFinite(perSecond) &&
    perSecond > 0 &&
    typeof burst === 'number' &&
    Number.isFinite(burst) &&
    burst >= 1
  )
}

function isWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value)
}

function bad(message: string): FerryError {
  return new FerryError('invalid-argument', message)
}
