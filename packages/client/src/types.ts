import type { DeliveryMeta, FerryError, FerryErrorCode, FerryMessage, SignalData, TransferKind } from '@ferry/protocol'
import type { MediaCache } from './media/media-cache.js'
import type { MediaEvents } from './media/media-types.js'
import type { RoomEvents } from './rooms/room-types.js'

/** What a task sends. A cmd or a message is one frame; buffers and files are chunked. */
export type TaskKind = 'cmd' | 'message' | TransferKind

/** A file to send: a path (Node platform) or a Blob/File (any platform with Blob). */
export type FileInput = string | Blob

/** A file as the receiving platform stored it. */
export interface ReceivedFile {
  name: string
  size: number
  mime: string
  /** Lowercase hex SHA-256 of the content, checked against the sender's before delivery. */
  sha256: string
  /** Node platform: where the file was written. */
  path?: string
  /** Browser platform: the content (backed by IndexedDB records, not held in memory). */
  blob?: Blob
  /** Browser platform with IndexedDB storage: the stored file's id, for `loadStoredFile` and `deleteStoredFile`. */
  id?: string
}

/** A file opened for sending. Reads are positional; the engine reads each chunk once, in order. */
export interface FileSource {
  readonly name: string
  readonly size: number
  readonly mime: string
  /** Fills `target` with the bytes at `position`; resolves with how many were read. */
  readInto(target: Uint8Array, position: number): Promise<number>
  /**
   * Optional: resolves with a new buffer holding `prefix` then the `length` bytes at `position`, for
   * sources that can assemble it without a copy in JavaScript (a Blob can: one allocation per chunk
   * instead of two). The frame's length tells how many bytes were read.
   */
  readWithPrefix?(prefix: Uint8Array, position: number, length: number): Promise<Uint8Array>
  close(): Promise<void>
}

/** Where an incoming file goes while it arrives. Writes come in order; nothing is delivered before `finish`. */
export interface FileSink {
  write(data: Uint8Array): Promise<void>
  /** Completes the file; `sha256` is the verified digest in hex. */
  finish(sha256: string): Promise<ReceivedFile>
  /** Removes everything written so far. Safe to call more than once, and after `finish` failed. */
  abort(): Promise<void>
}

export interface IncomingFileInfo {
  from: string
  /** The receiving user (this client's user id). */
  to: string
  taskId: string
  name: string
  size: number
  mime: string
}

/** An incremental SHA-256. */
export interface Hasher {
  update(data: Uint8Array): void
  digest(): Uint8Array
}

/** What differs between runtimes. `browserPlatform()` is the default; Node uses `nodePlatform()` from `@ferry/client/node`. */
export interface Platform {
  /** A WebRTC implementation for simple-peer (`@roamhq/wrtc` in Node); the global one when absent. */
  wrtc?: unknown
  openFile(input: FileInput, name?: string, mime?: string): Promise<FileSource>
  createFileSink(info: IncomingFileInfo): Promise<FileSink>
  /** May be async: a WebAssembly hasher has to be instantiated first. */
  createHasher(): Promise<Hasher>
  /** The local media cache of one user (a browser or machine may be shared by several users). */
  createMediaCache(userId: string): MediaCache
}

export interface FerryOptions {
  /**
   * Signaling server URL, e.g. `http://127.0.0.1:8787`, or several nodes of one deployment. After a
   * drop the client tries the node it was on once, then the next ones in turn, with backoff
   * (`RECONNECT_DELAY_MIN_MS` to `RECONNECT_DELAY_MAX_MS`), and logs in again as the same user. One
   * URL (say a load balancer's) is tried again and again. The URLs should differ only in their origin.
   */
  url: string | readonly string[]
  /** Dev-mode login: the user id to log in as (ignored by a server that requires tokens). */
  userId?: string
  /** Token login: an HS256 JWT whose `sub` is the user id. */
  token?: string
  /**
   * Users whose presence to follow from the start (at most MAX_PRESENCE_SUBSCRIPTIONS); more can be
   * followed with `subscribePresence`. Peers this client opens links to are followed without asking.
   */
  presence?: string[]
  platform?: Platform
  /** ICE servers for peer connections, besides any the server hands out (TURN). Default: none. */
  iceServers?: RTCIceServer[]
  /** `relay` makes WebRTC use TURN candidates only. Default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy
  /** Default `auto`: direct where possible, else through the signaling server's relay. */
  transport?: TransportMode
  /**
   * Largest buffer this client sends or accepts, and what the buffers one peer is sending it at once
   * may announce together (past it that peer's next buffer is refused with `storage-full`).
   * Default `DEFAULT_MAX_BUFFER_BYTES`.
   */
  maxBufferBytes?: number
  /**
   * Bytes all incoming buffers may hold in memory together while they arrive, from all peers; memory
   * is taken as bytes arrive, not when a size is announced. A chunk that would go over fails its
   * transfer with `storage-full`. Default: `maxBufferBytes`.
   */
  maxBufferMemoryBytes?: number
  /** Largest file this client accepts. Default: no limit (files stream to storage). */
  maxFileBytes?: number
  /**
   * How long a direct connection may take to open. Default: `DIRECT_CONNECT_TIMEOUT_MS` when the relay
   * can take over, `CONNECT_TIMEOUT_MS` when it cannot.
   */
  connectTimeoutMs?: number
  /** Default `IDLE_TIMEOUT_MS`. */
  idleTimeoutMs?: number
  /** Media uploads and downloads running at once. Default `MAX_MEDIA_TASKS` (9). */
  maxMediaTasks?: number
  /** When `maxMediaTasks` run: false (default) fails one more with `too-many-tasks`; true queues it. */
  queueMediaTasks?: boolean
  /** A media task with no progress for this long fails with `idle-timeout`. Default `MEDIA_IDLE_TIMEOUT_MS`. */
  mediaIdleTimeoutMs?: number
  /**
   * A download gives up on a peer that sent no bytes for this long and tries the next source (another
   * holder, the uploader, then the server store). Keep it below `mediaIdleTimeoutMs`. Default
   * `MEDIA_SOURCE_TIMEOUT_MS`.
   */
  mediaSourceTimeoutMs?: number
  /** Largest media this client uploads when the server keeps no media (else the server's limit). Default `DEFAULT_MEDIA_MAX_BYTES`. */
  maxMediaBytes?: number
}

export interface SendOptions {
  /** Any value; handed back in this task's progress and result events. */
  cookie?: unknown
}

export interface TransferOptions extends SendOptions {
  /** Aborting it cancels the transfer, like `cancelSend`. */
  signal?: AbortSignal
}

export interface FileOptions extends TransferOptions {
  /** Name the receiver sees. Default: the file's own name. */
  name?: string
  /** Mime type the receiver sees. Default: the Blob's type, else `application/octet-stream`. */
  mime?: string
}

/** The settled outcome of a task, as in the `result` event. */
export interface TaskResult {
  taskId: string
  kind: TaskKind
  to: string
  cookie: unknown
  /** Absent on success. */
  error?: FerryError
  /** Files only: the name the receiver saw. */
  fileName?: string
}

/** A running send. `done` resolves with the result, or rejects with its `FerryError`. */
export interface Task {
  readonly id: string
  readonly kind: TaskKind
  readonly to: string
  readonly cookie: unknown
  readonly done: Promise<TaskResult>
}

/** `cancelSend` / `cancelReceive` answer. */
export type CancelResult = 'ok' | 'unknown-task' | 'already-finished'

/**
 * `reconnecting`: the signaling connection dropped and the client is logging in again (see `url`);
 * direct links carry on, relayed links wait. `disconnected`: dropped with no reconnect coming (the
 * server sent this client away, or the app disconnected the socket).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'closed'

/** How a link to a peer carries frames: a data channel (`direct`), one through a TURN server, or the signaling server's relay. */
export type LinkTransport = 'direct' | 'turn' | 'relay'

/** `auto` tries a direct path and falls back to the relay; `direct` never relays; `relay` only relays. */
export type TransportMode = 'auto' | 'direct' | 'relay'

export type FerryEvents = {
  /** Signaling connection state; `code` says why it is disconnected or closed, when known. */
  state: { state: ConnectionState; code?: FerryErrorCode }
  /** A user this client follows (`subscribePresence`, or a peer it has a link to) came online or went offline. */
  presence: { userId: string; online: boolean }
  /** A link to a peer opened, switched transport (another `open`), or closed. */
  link: { peer: string; state: 'open' | 'closed'; transport?: LinkTransport; code?: FerryErrorCode }
  /** Sender: bytes the receiver has confirmed. Comes at least every 1 % or 250 ms, and once at the total. */
  progress: { taskId: string; to: string; kind: TransferKind; sent: number; total: number; cookie: unknown }
  /** Sender: a task ended (CloudRoom sendCmdRlst / sendBufferRlst / sendFileRlst). */
  result: TaskResult
  /** Receiver: a cmd arrived. */
  cmd: { from: string; taskId: string; data: string | Uint8Array }
  /** Receiver: a buffer arrived whole and verified. */
  buffer: { from: string; taskId: string; data: Uint8Array; sha256: string }
  /** Receiver: a file arrived whole and verified. */
  file: { from: string; taskId: string; file: ReceivedFile }
  /** Receiver: a buffer or file transfer started. */
  'receive-start': { from: string; taskId: string; kind: TransferKind; name: string; size: number; mime: string }
  /** Receiver: bytes stored so far. */
  'receive-progress': { from: string; taskId: string; kind: TransferKind; received: number; total: number }
  /** Receiver: an incoming transfer ended without delivery; nothing of it is kept. `cancelled` when the sender cancelled. */
  'receive-failed': { from: string; taskId: string; kind: TransferKind; code: FerryErrorCode }
  /**
   * Receiver: a text, file or image message arrived (file and image messages carry a media id to
   * download). Straight from a peer, `taskId` is the sender's task; routed by the server (a room
   * message, a server API send, or one kept while this user was offline), `delivery` has its envelope
   * (mid, mtime, mtype, attrs, target, offline) and `taskId` is the mid.
   */
  message: { from: string; taskId: string; message: FerryMessage; delivery?: DeliveryMeta }
  /** Something went wrong that belongs to no task, e.g. a malformed frame from a peer. */
  error: { code: FerryErrorCode; message: string; peer?: string }
} & MediaEvents &
  RoomEvents

export type { SignalData }
