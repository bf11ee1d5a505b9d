import {
  checkMessage,
  type FerryMessage,
  isMtype,
  MAX_ATTRS_BYTES,
  MESSAGE_ID_PATTERN,
  utf8Encode,
} from '@ferry/protocol'
import { ApiRefusal, badArgument } from './api-refusal.js'

/** An mtype for `kind` sends (see MTYPE), or 400 `invalid-mtype`. */
export function checkMtype(value: unknown, kind: 'file' | 'text'): number {
  if (!isMtype(value, kind)) {
    const allowed = kind === 'text' ? '30 or 51–127' : '40, 41, 42, 50 or 51–127'
    throw new ApiRefusal(400, 'invalid-mtype', `mtype must be ${allowed} for a ${kind} send`)
  }
  return value
}

/** Custom attributes: a string of at most MAX_ATTRS_BYTES of UTF-8 (else 413 `message-too-large`); '' when absent. */
export function checkAttrs(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') throw badArgument('attrs must be a string')
  const bytes = utf8Encode(value).length
  if (bytes > MAX_ATTRS_BYTES) {
    throw new ApiRefusal(413, 'message-too-large', `attrs are ${bytes} bytes, at most ${MAX_ATTRS_BYTES}`)
  }
  return value
}

/** A sender's message id (MESSAGE_ID_PATTERN), or undefined when absent: the server then makes one. */
export function checkMid(value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !MESSAGE_ID_PATTERN.test(value)) {
    throw badArgument('mid must be 1 to 64 of A-Z a-z 0-9 _ -')
  }
  return value
}

/** Throws when `message` fails `checkMessage`: 413 `message-too-large`, or 400 for a bad shape. */
export function assertMessage(message: FerryMessage): void {
  const check = checkMessage(message)
  if (check.ok) return
  throw new ApiRefusal(check.code === 'message-too-large' ? 413 : 400, check.code, check.reason)
}
