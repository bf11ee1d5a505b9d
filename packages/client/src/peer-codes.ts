import type { FerryErrorCode, Frame } from '@ferry/protocol'

/**
 * The codes a peer may end a task with in an error frame: what goes wrong with a transfer on its side.
 * Codes about this client's own session or the server (`bad-token`, `session-replaced`, `closed`,
 * `peer-offline`...) are not a peer's to report: from a peer they read as `protocol-error`, so an app
 * that acts on them (logs in again, drops a session) is never steered by a peer.
 */
const PEER_CODES: ReadonlySet<FerryErrorCode> = new Set<FerryErrorCode>([
  'unknown',
  'invalid-argument',
  'cmd-too-large',
  'buffer-too-large',
  'file-too-large',
  'file-read-error',
  'file-write-error',
  'unknown-task',
  'cancelled',
  'idle-timeout',
  'integrity-mismatch',
  'protocol-error',
  'unsupported-version',
  'storage-full',
  'too-many-tasks',
  'window-exceeded',
  'media-not-found',
  'message-too-large',
  'invalid-mtype',
])

/** The frame as this client acts on it: an error frame's code is one a peer may send, else `protocol-error`. */
export function fromPeer(frame: Frame): Frame {
  if (frame.type !== 'error' || PEER_CODES.has(frame.code)) return frame
  return { ...frame, code: 'protocol-error', message: `the peer ended the task with ${frame.code}: ${frame.message}` }
}
