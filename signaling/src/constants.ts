import { MAX_RELAY_FRAME_BYTES } from '@ferry/protocol'

/**
 * Tuning numbers of the signaling server. Each has its unit in its name and the reason it has the
 * value it has. Protocol-wide limits (user ids, link ids, signal size) live in `@ferry/protocol`.
 */

/** Port the CLI listens on when none is configured. */
export const DEFAULT_PORT = 8787

/**
 * Connections the kernel queues while the server is busy accepting (Node's default is 511). A restart
 * makes every client reconnect at once; with 511, thousands of connection attempts are dropped and
 * retried with backoff, and a storm of 10,000 takes minutes instead of seconds. The kernel caps it at
 * `net.core.somaxconn` (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096

/** Loopback by default: exposing the server to a network is an explicit choice (`--host 0.0.0.0`). */
export const DEFAULT_HOST = '127.0.0.1'

/**
 * Largest Socket.IO message the server accepts; bigger ones close the connection. Relay frames of
 * 256 KiB data chunks plus their headers and Socket.IO framing must fit, with room to spare.
 */
export const MAX_HTTP_BUFFER_BYTES = 1024 * 1024

/**
 * How long a connection may take from its transport handshake to a finished login. A real client
 * logs in within a round trip or two; ten seconds covers a slow phone, and stops a host from holding
 * connections open without ever logging in (Socket.IO's default is 45 s).
 */
export const SOCKET_CONNECT_TIMEOUT_MS = 10_000

/**
 * Longest validity of a login token by default (`exp` minus `iat`): a day, as Agora RTM tokens. An
 * application server mints short-lived tokens; a token that never expires cannot be revoked.
 */
export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 24 * 60 * 60

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

/** Transfers of one sender the relay tracks at once: a protocol constant, since clients hold to it too. */
export { MAX_RELAY_TRANSFERS_PER_USER } from '@ferry/protocol'

/**
 * Shortest TURN secret accepted. Every logged-in user gets a username and its HMAC, enough to brute
 * force a short secret offline, and whoever has the secret can mint TURN credentials for anyone.
 */
export const MIN_TURN_SECRET_BYTES = 32

/** Lowest relay rate accepted: a second's budget must hold at least one full chunk frame. */
export const MIN_RELAY_BYTES_PER_SECOND = MAX_RELAY_FRAME_BYTES

/** Where the CLI keeps media when no directory is configured: next to where it runs (and git-ignored). */
export const DEFAULT_MEDIA_DIR = '.ferry-media'

/** Where the CLI keeps its state database when no directory is configured: beside DEFAULT_MEDIA_DIR (and git-ignored). */
export const DEFAULT_STATE_DIR = '.ferry-state'

/**
 * Largest JSON body of a media upload request. A MediaUploadRequest is a size, a SHA-256, a mime type
 * (at most MAX_MIME_BYTES) and a file name (at most MAX_NAME_BYTES, up to six times that as escaped JSON):
 * 8 KiB holds the worst case with room, and keeps a client from making the server buffer more.
 */
export const MAX_MEDIA_REQUEST_BYTES = 8 * 1024

/**
 * How often the media store drops expired media and stale partial uploads. Media live for days, so an
 * hour late is nothing, and a sweep reads every metadata file: once an hour keeps that cost invisible.
 */
export const DEFAULT_MEDIA_SWEEP_EVERY_MS = 60 * 60 * 1000

/** Longest sweep period accepted: Node's timers fire at once for anything above 2^31 - 1 ms (24.8 days). */
export const MAX_MEDIA_SWEEP_EVERY_MS = 2 ** 31 - 1

/**
 * How long a browser may reuse the answer to a CORS preflight of a media route. Chromium caps it at
 * 7200 s; every upload piece has its own URL (its offset), so a long cache saves little, a short one
 * costs a preflight per piece anyway. Ten minutes covers retries of the same piece.
 */
export const MEDIA_CORS_MAX_AGE_SECONDS = 600

/**
 * Shortest admin key (FERRY_ADMIN_KEY) accepted. It grants sends on behalf of any user; 32 characters
 * of base64 (what `openssl rand -base64 32` gives is 44) are ~192 bits, beyond any online guessing.
 */
export const MIN_ADMIN_KEY_CHARS = 32

/**
 * Largest JSON body of a server API request. A message send is the biggest: MAX_MESSAGE_BYTES of
 * text and MAX_ATTRS_BYTES of attrs (each up to six times that as escaped JSON) and MAX_RECIPIENTS
 * user ids of at most 64 characters: 512 KiB holds that worst case, and bounds what a caller makes
 * the server buffer.
 */
export const MAX_API_REQUEST_BYTES = 512 * 1024

/**
 * Server API sends (messages, files, file tokens) one `from` user may make per second, sustained.
 * LiveData allows a few per second per sender; an application server fanning out for one user in a
 * burst is covered by API_SEND_BURST.
 */
export const API_SENDS_PER_SECOND = 20

/** Server API sends one user may make in one burst before API_SENDS_PER_SECOND applies. */
export const API_SEND_BURST = 100

/**
 * File tokens outstanding at once, at most; past it the oldest is dropped. Each lives
 * FILE_TOKEN_TTL_MS; this bounds the memory a flood of token requests can take.
 */
export const MAX_FILE_TOKENS = 100_000

/**
 * How long a client may take to send a request's line and headers. A client sends them in one packet
 * right after connecting; 20 s covers a slow mobile link with retransmits, and bounds how long a
 * client that never finishes them (slowloris) holds a connection. Node's default is 60 s.
 */
export const HTTP_HEADERS_TIMEOUT_MS = 20_000

/**
 * How long a client may take to send a whole request, body included. A media upload piece is
 * MEDIA_PIECE_BYTES (4 MiB): at 64 kbit/s, a poor mobile uplink, it takes about 9 minutes, as does a
 * server API file send of DEFAULT_MEDIA_MAX_BYTES (64 MiB) at 1 Mbit/s. Ten minutes cuts neither.
 */
export const HTTP_REQUEST_TIMEOUT_MS = 10 * 60 * 1000

/**
 * How long an idle keep-alive connection stays open after its last answer. The next upload piece or
 * API call follows its answer within milliseconds; past that an idle connection only holds a socket and
 * a place under its address's cap. Node's default; a reverse proxy in front should drop idle upstream
 * connections sooner than this.
 */
export const HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000

/**
 * Largest request line plus headers, in bytes (Node's default). Ferry's requests carry a bearer key, an
 * origin and short queries; 16 KiB holds those, a JWT and a browser's cookies with room. A file send to
 * more recipients than fit in a query goes through a file token, whose request carries them in a body.
 */
export const HTTP_MAX_HEADER_BYTES = 16 * 1024

/** Headers read per request: a browser sends about 20, a proxy adds a few; the rest are dropped unread. */
export const HTTP_MAX_HEADERS_COUNT = 100

/**
 * How often the server holds requests in progress against the header and request timeouts. Node's
 * default (30 s) lets a slow client keep its connection that long past its deadline; the check walks
 * only requests in progress, so once a second costs nothing.
 */
export const HTTP_TIMEOUT_CHECK_MS = 1000

/**
 * Open TCP connections one address may hold at once (an IPv6 address counts as its /64), Socket.IO's
 * included. A browser tab holds one Socket.IO connection and at most six more for media and API calls:
 * 256 lets a few dozen users share an office or campus NAT, while one host cannot take all the file
 * descriptors of the process (often 1024). 0 lifts the cap, e.g. behind a reverse proxy, where every
 * connection comes from the proxy's address.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256

/**
 * How long a shared state keeps the rooms, presence subscriptions and media holdings of a user whose
 * node stopped refreshing them: a node that died takes this long to be forgotten. A minute keeps a
 * ghost member short-lived, and is far above a refresh interval, so a busy node is never mistaken for
 * a dead one.
 */
export const LEASE_MS = 60_000

/** How often a node refreshes the leases of its online users: a third of LEASE_MS, so two can be late. */
export const LEASE_REFRESH_MS = LEASE_MS / 3
