import { decodeFrame, type FerryErrorCode, type Frame, MAX_RELAY_FRAME_BYTES } from '@ferry/protocol'

export type CheckedFrame =
  | { ok: true; bytes: Uint8Array; frame: Frame }
  | { ok: false; code: FerryErrorCode; message: string }

/**
 * Checks what a client hands the relay as a frame: binary (a Socket.IO attachment, never base64 or
 * JSON), at most MAX_RELAY_FRAME_BYTES, and a frame `decodeFrame` accepts. Decoding copies nothing:
 * chunk data stays a view of the bytes that are forwarded. Never throws.
 */
export function checkRelayFrame(payload: unknown): CheckedFrame {
  if (!(payload instanceof Uint8Array)) {
    return { ok: false, code: 'invalid-argument', message: 'a relay frame must be binary' }
  }
  if (payload.length > MAX_RELAY_FRAME_BYTES) {
    return {
      ok: false,
      code: 'protocol-error',
      message: `a relay frame of ${payload.length} bytes, limit ${MAX_RELAY_FRAME_BYTES}`,
    }
  }
  const decoded = decodeFrame(payload)
  if (!decoded.ok) return { ok: false, code: decoded.code, message: `a malformed relay frame: ${decoded.reason}` }
  return { ok: true, bytes: payload, frame: decoded.frame }
}

/**
 * Decodes a frame relayed to a user, for the bookkeeping of its own transfers. Frames reaching this
 * point were checked on the way in; anything else (not a frame) comes back undefined.
 */
export function peekFrame(payload: unknown): Frame | undefined {
  if (!(payload instanceof Uint8Array)) return undefined
  const decoded = decodeFrame(payload)
  return decoded.ok ? decoded.frame : undefined
}
