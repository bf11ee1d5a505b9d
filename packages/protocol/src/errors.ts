/**
 * Every error Ferry reports is one of these codes. Callers branch on `code`; `message` is for humans.
 * The number is the code's stable wire value in error frames. The vendor column names the source
 * SDK's equivalent (CloudRoom `CRVIDEOSDK_ERR_DEF` unless noted) so ports can map 1:1.
 */
export const ERROR_CODES = {
  /** CloudRoom UNKNOWERR 1. */
  unknown: 1,
  /** CloudRoom NOT_LOGIN 12 / NOT_INIT 11; Agora NOT_LOGGED_IN. An API call before `connect()`. */
  'not-logged-in': 2,
  /** The server refused the login: missing, malformed or forged token. */
  'bad-token': 3,
  /** Another login for the same user id replaced this session (one live session per user). */
  'session-replaced': 4,
  /** CloudRoom PEER_OFFLINE 603; Agora PEER_UNREACHABLE. The target user is not logged in. */
  'peer-offline': 5,
  /** CloudRoom SENDDATA_TARGETINVALID 1102 / USER_NOT_FOUND 605. Bad user id, or oneself. */
  'invalid-target': 6,
  /** CloudRoom PARAM_ERR 5; Agora INVALID_ARGUMENT. A call's arguments are off. */
  'invalid-argument': 7,
  /** CloudRoom SENDCMD_LARGE 1100. A cmd over `MAX_CMD_BYTES`. */
  'cmd-too-large': 8,
  /** CloudRoom SENDBUFFER_LARGE 1101. A buffer over the sender's or receiver's limit. */
  'buffer-too-large': 9,
  /** CloudRoom FILE_SIZE_UNSUPPORT 1405; Agora SIZE_OVERFLOW. A file over the receiver's limit. */
  'file-too-large': 10,
  /** CloudRoom FILE_READ_ERR 1401 / SENDFILE_FILEINERROR 1103 / FILE_NOT_EXIST 1400. */
  'file-read-error': 11,
  /** CloudRoom FILE_WRITE_ERR 1402. The receiver could not store what arrived. */
  'file-write-error': 12,
  /** CloudRoom TRANSID_INVALID 1104; Agora cancel NOT_EXIST. No such task. */
  'unknown-task': 13,
  /** cancelSend on a task that already ended (CloudRoom cancelSendRlst with an error). */
  'already-finished': 14,
  /** The transfer was cancelled by either end (CloudRoom notifyCancelSend; Agora INTERRUPTED). */
  cancelled: 15,
  /** CloudRoom CONNECTIONLOST 207. The peer went offline or its link closed mid-transfer. */
  'peer-gone': 16,
  /** CloudRoom SOCKETTIMEOUT 205. No data channel opened in time. */
  'connect-timeout': 17,
  /** Agora TIMEOUT (no traffic for 120 s). No data or ack for `IDLE_TIMEOUT_MS`. */
  'idle-timeout': 18,
  /** The SHA-256 of what arrived is not the sender's: nothing is delivered. */
  'integrity-mismatch': 19,
  /** CloudRoom INNER_ERR 3. A malformed or unexpected frame or event. */
  'protocol-error': 20,
  /** A frame of a protocol version this peer does not speak. */
  'unsupported-version': 21,
  /** CloudRoom SENDFAIL 1000. The peer connection failed (ICE failed, channel error). */
  'link-failed': 22,
  /** CloudRoom NOSERVER_RSP 202. The signaling server cannot be reached. */
  'server-unreachable': 23,
  /** LiveData "rate limited"; Agora TOO_OFTEN. Too many requests. */
  'rate-limited': 24,
  /** CloudRoom OUTOF_MEM 2. The receiver has no room for the transfer. */
  'storage-full': 25,
  /** Agora CONCURRENCY_LIMIT_EXCEEDED. Too many tasks at once. */
  'too-many-tasks': 26,
  /** The client was closed while the task ran. */
  closed: 27,
  /**
   * More unacknowledged bytes in flight than the window allows: the relay cut the sender off, or the
   * receiver failed the transfer.
   */
  'window-exceeded': 28,
  /** No direct path to the peer, and relay is disabled (or refused by the server). */
  'no-route': 29,
  /** Agora download NOT_EXIST. No such media id: never uploaded, expired, or held by nobody reachable. */
  'media-not-found': 30,
  /** Agora INVALID_MESSAGE. A message whose encoding (text, file name, thumbnail and the rest) is over `MAX_MESSAGE_BYTES`. */
  'message-too-large': 31,
  /** LiveData "invalid mtype". An mtype outside the ranges of `MTYPE` (see delivery.ts). */
  'invalid-mtype': 32,
  /** LiveData "not in room" / "not a group member"; Agora channel errors. The sender is not a member. */
  'not-a-member': 33,
  /** LiveData: a group send to a group with no members (other than the sender). */
  'empty-group': 34,
  /** LiveData "too many items": more recipients than MAX_RECIPIENTS, or rooms than MAX_ROOMS_PER_CLIENT. */
  'too-many-recipients': 35,
  /** No such group (server API), or a user id the server has never seen where one must exist. */
  'unknown-target': 36,
} as const

export type FerryErrorCode = keyof typeof ERROR_CODES

const CODE_BY_NUMBER = new Map<number, FerryErrorCode>(
  (Object.entries(ERROR_CODES) as [FerryErrorCode, number][]).map(([code, n]) => [n, code]),
)

/** The code for a wire number, or undefined for a number this version does not know. */
export function errorCodeFromNumber(n: number): FerryErrorCode | undefined {
  return CODE_BY_NUMBER.get(n)
}

export function isErrorCode(value: unknown): value is FerryErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value)
}

/** The one error class Ferry throws and rejects with. Cancellations also carry `name === 'AbortError'`. */
export class FerryError extends Error {
  readonly code: FerryErrorCode

  constructor(code: FerryErrorCode, message?: string) {
    super(message ?? code)
    this.code = code
    this.name = code === 'cancelled' ? 'AbortError' : 'FerryError'
  }
}
