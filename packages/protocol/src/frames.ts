import type { FerryErrorCode } from './errors.js'

/**
 * What crosses a data channel (or, later, the relay). Every frame names a task by the id its sender
 * gave it; ids are per sending client, so a receiver keys incoming tasks by (peer, taskId).
 *
 * Direction: cmd, start, chunk and end go from the task's sender to its receiver; ack and end-ack go
 * back. Cancel, error and resume can go either way, so they say which end wrote them (`origin`).
 *
 * Ending a transfer: a receiver answers a cancel or error from the sender (origin `sender`) with a
 * cancel of its own (origin `receiver`) for the same task id, whether it knew the task or not; a
 * sender ignores frames for tasks it does not know, so the exchange stops there. The answer is what
 * tells the relay that the receiver has read everything of the transfer: until it passes, the relay
 * keeps charging the sender's window for it (see the server's RelayWindows).
 */
export type TransferKind = 'buffer' | 'file'

/**
 * What a start frame announces: a buffer or file the sender chose to send, or `media`, the answer to
 * a media-request (its task id is the requester's, and its name is the media id).
 */
export type WireKind = TransferKind | 'media'

/** Which end of the task wrote a cancel or error frame. */
export type FrameOrigin = 'sender' | 'receiver'

export interface CmdFrame {
  type: 'cmd'
  taskId: number
  /** True when the payload is UTF-8 text the receiver should hand over as a string. */
  text: boolean
  payload: Uint8Array
}

export interface StartFrame {
  type: 'start'
  taskId: number
  kind: WireKind
  size: number
  name: string
  mime: string
  /** Present when the sender knows the digest up front; otherwise it arrives in the end frame only. */
  sha256?: Uint8Array
}

export interface ChunkFrame {
  type: 'chunk'
  taskId: number
  offset: number
  /** A view into the decoded frame: copy it if you keep it past the current tick. */
  data: Uint8Array
}

export interface AckFrame {
  type: 'ack'
  taskId: number
  /** Bytes the receiver has stored, counted from the start of the transfer. */
  received: number
}

export interface EndFrame {
  type: 'end'
  taskId: number
  sha256: Uint8Array
}

export interface EndAckFrame {
  type: 'end-ack'
  taskId: number
}

/** Ends a task from either end; from the sender, answered by the receiver's own cancel (see above). */
export interface CancelFrame {
  type: 'cancel'
  taskId: number
  origin: FrameOrigin
}

export interface ErrorFrame {
  type: 'error'
  taskId: number
  origin: FrameOrigin
  code: FerryErrorCode
  message: string
}

/**
 * After a link to a peer was replaced mid-transfer (direct path lost, relay taken), the two ends agree
 * where to continue. The sender asks (origin sender, offset = what it last saw acked); the receiver
 * answers (origin receiver, offset = every byte it has received), and the sender goes on from there.
 */
export interface ResumeFrame {
  type: 'resume'
  taskId: number
  origin: FrameOrigin
  offset: number
}

/** A typed message (see `encodeMessage`). Confirmed with an end-ack, like a cmd. */
export interface MessageFrame {
  type: 'message'
  taskId: number
  payload: Uint8Array
}

/**
 * Asks the peer for a media it holds, from `offset`. Task ids of media requests are in the upper half
 * (MEDIA_TASK_ID_BASE and up), so the peer can answer with a `media` transfer under the same id without
 * meeting its own task ids. It answers with that transfer, or an error frame (origin sender) such as
 * `media-not-found`.
 */
export interface MediaRequestFrame {
  type: 'media-request'
  taskId: number
  mediaId: string
  offset: number
}

export type Frame =
  | CmdFrame
  | MessageFrame
  | MediaRequestFrame
  | StartFrame
  | ChunkFrame
  | AckFrame
  | EndFrame
  | EndAckFrame
  | CancelFrame
  | ErrorFrame
  | ResumeFrame

export type FrameType = Frame['type']
