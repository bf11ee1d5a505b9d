import { MAX_RELAY_FRAME_BYTES } from '@ferry/protocol'

/**
 * Tuning numbers of the signaling server. Each has its unit in its name and the reason it has the
 * value it has. Protocol-wide limits (user ids, link ids, signal size) live in `@ferry/protocol`.
 */

/** Port the CLI listens on when none is configured. */
export const DEFAULT_PORT = 8787

/** Loopback by default: exposing the server to a network is an explicit choice (`--host 0.0.0.0`). */
export const DEFAULT_HOST = '127.0.0.1'

/**
 * Largest Socket.IO message the server accepts; bigger ones close the connection. Relay frames of
 * 256 KiB data chunks plus their headers and Socket.IO framing must fit, with room to spare.
 */
export const MAX_HTTP_BUFFER_BYTES = 1024 * 1024

/**
 * Signaling requests a socket may send per second, sustained. One peer connection trickles tens of
 * ICE candidates within a second or two, and a client may open links to several peers at once.
 */
export const SIGNAL_RATE_PER_SECOND = 50

/** Requests a socket may send in one burst: a login followed by links to a few peers at once. */
export const SIGNAL_BURST = 200

/**
 * Shortest HS256 secret accepted. RFC 7518 section 3.2: an HMAC key must be at least as long as the
 * hash output (256 bits); shorter secrets can be brute-forced from any token.
 */
export const MIN_JWT_SECRET_BYTES = 32

/**
 * A user's relay byte budget may reach this many seconds' worth of its rate in one burst: a sender
 * that just opened a transfer puts a whole window on the wire at once, well above its sustained rate.
 */
export const RELAY_BURST_SECONDS = 2

/**
 * Transfers of one sender the relay tracks at once. The server may hold a window per transfer for a
 * slow receiver, so this bounds what one user can make it hold (this many windows). A client relaying
 * more at once is cut off with `too-many-tasks`. 64 matches what a receiver accepts from one peer.
 */
export const MAX_RELAY_TRANSFERS_PER_USER = 64

/**
 * Shortest TURN secret accepted. Every logged-in user gets a username and its HMAC, enough to brute
 * force a short secret offline, and whoever has the secret can mint TURN credentials for anyone.
 */
export const MIN_TURN_SECRET_BYTES = 32

/** Lowest relay rate accepted: a second's budget must hold at least one full chunk frame. */
export const MIN_RELAY_BYTES_PER_SECOND = MAX_RELAY_FRAME_BYTES
