import type { FerryErrorCode } from './errors.js'

/**
 * The signaling server's HTTP API for application servers, under SERVER_API_PREFIX. Every route but
 * the token upload needs `Authorization: Bearer <FERRY_ADMIN_KEY>`; a server started without an admin
 * key refuses them all (403). Sends act on behalf of `from`: recipients get them exactly like messages
 * that user sent (a `message:deliver` with mid, mtime, mtype and attrs). Errors are JSON ServerApiError.
 *
 *   POST   /api/file-token        FileTokenRequest → FileTokenResponse
 *   PUT    /api/upload?token=T     raw file bytes, headers below → FileSendResponse (no admin key: the token is the grant)
 *   PUT    /api/files?cmd=…&from=…&to=…|tos=a,b|gid=…|rid=…&mtype=…&mid=…   raw bytes, headers below → FileSendResponse
 *   POST   /api/messages           MessageSendRequest → SendReceipt
 *   POST   /api/groups             { gid, members? } → Group
 *   GET    /api/groups             → { groups: Group[] }
 *   GET    /api/groups/:gid        → Group
 *   DELETE /api/groups/:gid        → 204
 *   POST   /api/groups/:gid/members  { add?: string[], remove?: string[] } → Group
 *
 * File upload headers: `content-type` (the file's mime), `x-ferry-file-name` and `x-ferry-attrs`
 * (both encodeURIComponent'ed). The file is stored as media (the server store must be on) and the
 * message is a file message, or an image message with its size read from the image for mtype 40.
 *
 * Statuses: 400 invalid-argument / invalid-mtype / invalid-target (a send to oneself), 401 bad-token
 * (admin key or file token wrong, used, expired, or for another cmd/target), 403 not-a-member, and
 * 403 bad-token on a server with no admin key set, 404 unknown-target, 409 storage-full (a file send
 * to a server without a media store), 413 file-too-large / message-too-large (also attrs over
 * MAX_ATTRS_BYTES), 422 empty-group / too-many-recipients, 429 rate-limited.
 */

export const SERVER_API_PREFIX = '/api/'

/** What a file send goes to, as LiveData names the commands. broadcastfile is server-only (no token). */
export type FileCommand = 'sendfile' | 'sendfiles' | 'sendgroupfile' | 'sendroomfile' | 'broadcastfile'

export type MessageCommand = 'sendmsg' | 'sendmsgs' | 'sendgroupmsg' | 'sendroommsg' | 'broadcastmsg'

/** Exactly the target field the command needs: to (sendfile), tos (sendfiles), gid, rid, or none (broadcast). */
export interface SendTarget {
  to?: string
  tos?: string[]
  gid?: string
  rid?: string
}

export interface FileTokenRequest extends SendTarget {
  from: string
  cmd: Exclude<FileCommand, 'broadcastfile'>
}

export interface FileTokenResponse {
  /** Single use, bound to from, cmd and target; valid FILE_TOKEN_TTL_MS. */
  token: string
  /** Path of the upload route with the token, relative to the server URL. */
  endpoint: string
  expiresAt: number
}

export interface FileSendResponse {
  mid: string
  mtime: number
  mediaId: string
}

export interface MessageSendRequest extends SendTarget {
  cmd: MessageCommand
  from: string
  /** 30 (text) or 51–127. */
  mtype: number
  /** The text. */
  message: string
  attrs?: string
  /** Dedupe key; the server makes one when absent. */
  mid?: string
}

export interface Group {
  gid: string
  members: string[]
}

export interface ServerApiError {
  code: FerryErrorCode
  message: string
}
