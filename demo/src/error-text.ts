import { FerryError, type FerryErrorCode, MAX_CMD_BYTES, MAX_MESSAGE_BYTES, MAX_ROOMS_PER_CLIENT } from '@ferry/client'
import { formatBytes } from './format'

/**
 * What each error code means to someone using the page. `peer` is the other user of the task.
 * A complete record: a code added to the library fails the build until it has its words here.
 */
const ERROR_TEXT: Record<FerryErrorCode, (peer: string) => string> = {
  unknown: () => 'Something went wrong',
  'not-logged-in': () => 'You are not logged in',
  'bad-token': () => 'The server refused the login',
  'session-replaced': () => 'You logged in with this name somewhere else',
  'peer-offline': (peer) => `${peer} is offline`,
  'invalid-target': (peer) => `Cannot send to ${peer}`,
  'invalid-argument': () => 'That input is not valid',
  'cmd-too-large': () => `Message too large (max ${formatBytes(MAX_CMD_BYTES)})`,
  'buffer-too-large': () => 'Buffer too large: send it as a file',
  'file-too-large': (peer) => `File too large for ${peer}`,
  'file-read-error': () => 'Could not read the file',
  'file-write-error': () => 'Could not store the file',
  'unknown-task': () => 'No such transfer',
  'already-finished': () => 'Already finished',
  cancelled: () => 'Cancelled',
  'peer-gone': (peer) => `${peer} disconnected`,
  'connect-timeout': (peer) => `Could not connect to ${peer}`,
  'idle-timeout': () => 'Stalled: no data for too long',
  'integrity-mismatch': () => 'Damaged in transit (checksum mismatch): nothing was kept',
  'protocol-error': (peer) => `Unexpected data from ${peer}`,
  'unsupported-version': (peer) => `${peer} runs an incompatible version`,
  'link-failed': (peer) => `Connection to ${peer} failed`,
  'server-unreachable': () => 'Cannot reach the server',
  'rate-limited': () => 'Too many requests: try again in a moment',
  'storage-full': () => 'Not enough storage',
  'too-many-tasks': () => 'Too many transfers at once',
  closed: () => 'You logged out',
  'window-exceeded': () => 'The relay server stopped the transfer: too much data in flight',
  'no-route': (peer) => `No path to ${peer}: direct connection failed and relay is off`,
  'media-not-found': () => 'That file is gone: expired, deleted, or nobody online has it',
  'message-too-large': () =>
    `Message too large (max ${formatBytes(MAX_MESSAGE_BYTES)} with text, name and preview): shorten it`,
  'invalid-mtype': () => 'That message type does not fit this kind of message',
  'not-a-member': () => 'You are not a member of that room or group',
  'empty-group': () => 'That group has nobody in it to send to',
  'too-many-recipients': () => `Too many rooms or recipients at once (at most ${MAX_ROOMS_PER_CLIENT} rooms)`,
  'unknown-target': () => 'No such room, group or user',
}

export function errorText(code: FerryErrorCode, peer = 'The other user'): string {
  return ERROR_TEXT[code](peer)
}

/** Words for anything a send or login rejected with. */
export function describeError(error: unknown, peer?: string): string {
  if (error instanceof FerryError) return errorText(error.code, peer)
  return error instanceof Error ? error.message : String(error)
}
