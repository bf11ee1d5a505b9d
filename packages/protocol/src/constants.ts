/**
 * Tuning numbers shared by every Ferry runtime. Each has its unit in its name and the reason it has
 * the value it has. Per-client options may override the defaults (see the client's `FerryOptions`).
 */

/** Version byte at the start of every frame. A peer rejects frames of another version. */
export const PROTOCOL_VERSION = 1

/** Largest cmd payload, as the source SDKs (CloudRoom sendCmd: 64 KB). One frame, never chunked. */
export const MAX_CMD_BYTES = 64 * 1024

/**
 * Default largest `sendBuffer` payload. A buffer is delivered whole, in memory, on the receiver;
 * anything larger belongs in `sendFile`, which streams. Large enough for a 256 MiB benchmark buffer.
 */
export const DEFAULT_MAX_BUFFER_BYTES = 512 * 1024 * 1024

/**
 * Default data-chunk payload. 256 KiB is Chromium's SCTP max message size and the chunk size at which
 * a raw `@roamhq/wrtc` sender peaks; the real size is lowered to fit the channel's `maxMessageSize`.
 */
export const DEFAULT_CHUNK_BYTES = 256 * 1024

/** Smallest chunk Ferry will use, whatever the channel says: below this, per-frame cost dominates. */
export const MIN_CHUNK_BYTES = 16 * 1024

/**
 * The sender stops writing data frames while the channel's `bufferedAmount` is above this. It bounds
 * both sender memory and how long a cmd can wait behind file data (one high-water mark at most).
 */
export const HIGH_WATER_BYTES = 1024 * 1024

/** Writing resumes when `bufferedAmount` falls to this (the channel's `bufferedAmountLowThreshold`). */
export const LOW_WATER_BYTES = 256 * 1024

/**
 * Poll period for `bufferedAmount` when the implementation never fires `bufferedamountlow`
 * (`@roamhq/wrtc`). 1 ms drains at most ~80 KB at 80 MB/s, far below the high-water mark.
 */
export const BUFFERED_POLL_MS = 1

/**
 * Most bytes of one transfer the sender may have in flight without the receiver's ack. Acks come
 * after data is written on the receiver, so this also bounds receiver memory when its disk is slow.
 */
export const WINDOW_BYTES = 16 * 1024 * 1024

/** The receiver acks at least every this many bytes (and every 1 % of the total, if that is less). */
export const ACK_EVERY_BYTES = 1024 * 1024

/** The receiver acks at least this often while data arrives: progress events are at most this far apart. */
export const ACK_EVERY_MS = 250

/** A link that has no open data channel after this long fails its transfers with `connect-timeout`. */
export const CONNECT_TIMEOUT_MS = 15_000

/** A transfer with no data or ack for this long fails with `idle-timeout` on the side that waits. */
export const IDLE_TIMEOUT_MS = 30_000

/** Longest file name (UTF-8 bytes) carried in a start frame; longer names are cut by the sender. */
export const MAX_NAME_BYTES = 1024

/** Longest mime type (UTF-8 bytes) carried in a start frame. */
export const MAX_MIME_BYTES = 255

/** Longest error message (UTF-8 bytes) carried in an error frame. */
export const MAX_ERROR_MESSAGE_BYTES = 1024

/** Length of a SHA-256 digest. */
export const SHA256_BYTES = 32

/**
 * User ids: 1 to 64 characters of this set, so they are safe in room names, logs and paths; ids made
 * only of dots (`.`, `..`) are refused, since as a path segment they name a directory, not a user.
 */
export const USER_ID_PATTERN = /^(?!\.+$)[A-Za-z0-9_.@:-]{1,64}$/

/** Largest signaling payload (an SDP or ICE candidate, as JSON). Real SDPs are a few KB. */
export const MAX_SIGNAL_BYTES = 64 * 1024

/** Link ids: random tokens chosen by the initiator to tell one peer connection from the next. */
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/

/** Largest frame the relay forwards: a full chunk frame plus its header, with room to spare. */
export const MAX_RELAY_FRAME_BYTES = DEFAULT_CHUNK_BYTES + 1024

/**
 * Bytes of one transfer the relay lets be in flight beyond the receiver's last ack before it cuts the
 * sender off: the window plus one chunk, since a sender may put a chunk on the wire as an ack arrives.
 */
export const RELAY_WINDOW_LIMIT_BYTES = WINDOW_BYTES + DEFAULT_CHUNK_BYTES

/**
 * Chunk bytes one user may have relayed and not yet acknowledged by their receivers, across all its
 * transfers (announced as `relayWindowBytes`); past it the relay cuts the sender off. This is what the
 * server holds for one sending user. Four windows: all of a user's transfers share its relay byte rate,
 * so more bytes in flight would not make them faster; four let a transfer to a receiver that stalls
 * fill its whole window while the user's transfers to others keep going.
 */
export const RELAY_USER_WINDOW_BYTES = 4 * WINDOW_BYTES

/**
 * Transfers of one sender the relay tracks at once, running or ended by the sender and not yet
 * confirmed by the receiver. A client relaying more is cut off with `too-many-tasks`, so clients hold
 * to it too. 64 matches what a receiver accepts from one peer.
 */
export const MAX_RELAY_TRANSFERS_PER_USER = 64

/**
 * How long after its latest chunk the relay keeps charging a transfer it has heard nothing more about
 * (one whose sender cancelled it and whose receiver never confirmed, say). Socket.IO's heartbeat
 * (a ping every 25 s, answered within 20 s, queued behind the frames) means that by then the receiver
 * has read every byte relayed to it, or has been disconnected, which frees what the server held for it.
 */
export const RELAY_HOLD_MS = 60_000

/**
 * Default relay budget per user, in bytes per second (a token bucket with this refill and twice it as
 * burst). A relay spends the server's bandwidth; operators raise it where that is cheap.
 */
export const DEFAULT_RELAY_BYTES_PER_SECOND = 64 * 1024 * 1024

/** A direct link still connecting after this long gives way to the relay (when relay is allowed). */
export const DIRECT_CONNECT_TIMEOUT_MS = 5_000

/** TURN credentials handed out by the server are valid this long (the TURN REST scheme's ttl). */
export const TURN_CREDENTIAL_TTL_SECONDS = 24 * 60 * 60

/** Bytes of randomness in a media id. A media id is the capability to fetch the media: 192 bits cannot be guessed. */
export const MEDIA_ID_BYTES = 24

/** Media ids: MEDIA_ID_BYTES random bytes in base64url, so they are safe in URLs, file names and keys. */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/

/**
 * Default largest media a server store takes (operators may set more). Above Agora's 30 MB limit;
 * small enough that a default self-hosted disk is not filled by a handful of users.
 */
export const DEFAULT_MEDIA_MAX_BYTES = 64 * 1024 * 1024

/** How long a server keeps media after its upload completed (Agora: a media id is valid 7 days). */
export const MEDIA_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

/** Upload and download tasks one client may run at once (Agora: 9); one more fails with `too-many-tasks`. */
export const MAX_MEDIA_TASKS = 9

/** A media upload or download with no progress for this long fails with `idle-timeout` (Agora: 120 s). */
export const MEDIA_IDLE_TIMEOUT_MS = 120_000

/**
 * A media download gives up on a peer that sent no bytes for this long and tries the next source. A
 * holder answers within a round trip and a cache read, and a link that must fall back to the relay
 * first opens within DIRECT_CONNECT_TIMEOUT_MS (5 s): twice that leaves room for a loaded machine,
 * and a holder that claims a media and never answers costs a download this much, not its idle timeout.
 */
export const MEDIA_SOURCE_TIMEOUT_MS = 10_000

/**
 * Uploads to the server store go in HTTP requests of this size: each is retried alone and resumes
 * from its offset, and a client holds at most two (one on the wire, the next read ahead). 4 MiB makes
 * the per-request cost (a round trip and the server's record update) small next to the bytes.
 */
export const MEDIA_PIECE_BYTES = 4 * 1024 * 1024

/**
 * One encoded message (`encodeMessage`: its fields as JSON, then its thumbnail), at most, whatever its
 * type (Agora: 32 KB). Bounding the encoding bounds what a server stores and fans out per message.
 */
export const MAX_MESSAGE_BYTES = 32 * 1024

/** A message to a peer that is not confirmed within this long fails with `idle-timeout` (Agora: 10 s). */
export const MESSAGE_TIMEOUT_MS = 10_000

/**
 * Task ids from this value up are media requests and the media transfers that answer them (see
 * MediaRequestFrame); ids of cmds, messages, buffers and files stay below it.
 */
export const MEDIA_TASK_ID_BASE = 0x8000_0000

/** Rooms one client may be in at once (Agora: 20 channels per client); one more fails with `too-many-recipients`. */
export const MAX_ROOMS_PER_CLIENT = 20

/** Room and group ids: like user ids, safe in Socket.IO room names, logs and paths (not only dots). */
export const ROOM_ID_PATTERN = /^(?!\.+$)[A-Za-z0-9_.@:-]{1,64}$/

/** Recipients of one server-routed send, at most (LiveData: 2,000 per send). */
export const MAX_RECIPIENTS = 2000

/** Custom attributes of one server-routed message, at most (LiveData: attrs 2 KB). */
export const MAX_ATTRS_BYTES = 2 * 1024

/** Message ids chosen by senders: the dedupe key (a resend with the same mid is not delivered twice). */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/**
 * A file token (server API `fileToken`) is valid this long and once: long enough for a client to pick
 * up the token and start its upload, short enough that a leaked one is soon useless.
 */
export const FILE_TOKEN_TTL_MS = 5 * 60 * 1000

/** Messages kept for offline recipients and mids kept for dedupe, this long (LiveData: history 7 days). */
export const OFFLINE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Deliveries the server keeps for one user until their client acknowledges them, at most. Past it the
 * oldest are dropped: a user away for long gets the newest, and one flood cannot grow the server
 * without bound.
 */
export const MAX_KEPT_PER_USER = 1000

/**
 * Deliveries one `message:ack` names, at most. Four acks clear a full inbox (MAX_KEPT_PER_USER), and
 * one ack of ids of 64 characters each stays under 40 KB, far below any Socket.IO message limit.
 */
export const MAX_ACKS_PER_EVENT = 256

/**
 * Users one user may follow the presence of at once (Agora RTM: 512 peers per subscription list). A
 * login costs the server what its subscribers and subscriptions cost, never what everyone online costs.
 */
export const MAX_PRESENCE_SUBSCRIPTIONS = 512

/**
 * Holders one `media:holders` answer names, at most. A downloader tries them one after another and
 * falls back to the server store; past a handful, more names only add connection attempts.
 */
export const MAX_HOLDERS_ANSWERED = 8
