import { BUFFERED_POLL_MS, HIGH_WATER_BYTES } from '@ferry/protocol'

/** The part of an RTCDataChannel the queue needs. */
export interface FrameChannel {
  send(frame: Uint8Array): void
  readonly bufferedAmount: number
}

/** Something that produces data frames on demand (an outgoing buffer or file transfer). */
export interface FrameSource {
  /** The next frame to send, or undefined when it has none ready (reading, or its window is full). */
  nextFrame(): Uint8Array | undefined
}

/**
 * Control frames (cmd, start, ack, end-ack, cancel, error) may go out while this much is buffered:
 * above the data high-water mark, so control never waits behind more than one high-water mark of
 * data, yet bounded, so a burst of cmds cannot overflow the channel's send queue (16 MiB in Chromium).
 */
const CONTROL_LIMIT_BYTES = HIGH_WATER_BYTES * 4

/**
 * Once a channel has shown that it fires `bufferedamountlow`, the queue waits for that event and polls
 * only this seldom, as a safety net: polling every millisecond costs a browser's main thread wake-ups
 * and lets the channel run dry between them.
 */
const SAFETY_POLL_MS = 50

/**
 * Bytes of control frames waiting for the channel, at most. Frames wait here only while the channel
 * already buffers CONTROL_LIMIT_BYTES; 16 MiB more is 256 full-size cmds, more than an app bursts at
 * once, and bounds what a peer that stops reading (or floods us with frames to answer) makes us hold.
 */
export const MAX_CONTROL_BYTES = 16 * 1024 * 1024

/**
 * Control frames waiting, at most: each costs an object besides its bytes. 4096 is far more than the
 * acks, end-acks and errors the transfers of a well-behaved peer need, and than the cmds an app queues.
 */
export const MAX_CONTROL_FRAMES = 4096

/**
 * The share of both limits the app's own requests (cmds, messages, starts, media requests) may fill:
 * past it they are refused, so a burst of the app's cmds never leaves this client without room for
 * the acks and answers it owes the peer.
 */
const REQUEST_SHARE = 0.5

export interface SendQueueOptions {
  /**
   * A frame this client owes the peer (an ack, an end-ack, an error...) found the control queue full:
   * the queue has closed, and the link must close too. Called once, after the current task.
   */
  onOverflow?(reason: string): void
}

/**
 * Backpressure in one place. Control frames go first; data frames from every source take turns
 * (round robin), and only while the channel holds less than HIGH_WATER_BYTES. When it is full the
 * queue waits for `bufferedamountlow` where the implementation fires it, and polls `bufferedAmount`
 * every BUFFERED_POLL_MS until it has seen the event fire, because some (`@roamhq/wrtc`) never do.
 */
export class SendQueue {
  private readonly control: { frame: Uint8Array; onSent: (() => void) | undefined }[] = []
  /** Bytes of the frames in `control`. */
  private controlBytes = 0
  private readonly sources: FrameSource[] = []
  private turn = 0
  private channel: FrameChannel | undefined
  private pollTimer: ReturnType<typeof setTimeout> | undefined
  private scheduled = false
  private closed = false
  /** The current channel has fired `bufferedamountlow` at least once. */
  private lowFires = false
  /** At least the channel's `bufferedAmount`: see `below()`. */
  private buffered = 0

  constructor(private readonly options: SendQueueOptions = {}) {}

  /**
   * Starts sending on `channel`, or moves to it from the previous one. Frames queued and not yet
   * handed to a channel wait for it; what the previous channel still buffered is its own affair.
   */
  attach(channel: FrameChannel, onLow?: (listener: () => void) => void): void {
    if (this.closed) return
    this.channel = channel
    this.lowFires = false
    this.buffered = channel.bufferedAmount
    onLow?.(() => {
      if (this.channel !== channel) return
      this.lowFires = true
      this.pump()
    })
    this.schedule()
  }

  /**
   * Stops sending: the channel is gone and no other is there yet. Frames queued wait for the next
   * `attach`; sources keep their place.
   */
  detach(): void {
    this.channel = undefined
    if (this.pollTimer) clearTimeout(this.pollTimer)
    this.pollTimer = undefined
  }

  /**
   * Queues a control frame this client owes the peer or cannot leave unsent (acks, end-acks, errors,
   * cancels, resumes); `onSent` runs when it is handed to the channel. When the queue is full, it
   * overflows: see `SendQueueOptions.onOverflow`.
   */
  sendControl(frame: Uint8Array, onSent?: () => void): void {
    if (this.closed) return
    if (!this.fits(frame.length, 1)) {
      this.overflow(`${this.control.length} control frames (${this.controlBytes} bytes) wait for the channel`)
      return
    }
    this.push(frame, onSent)
  }

  /**
   * Queues a control frame the app asked for (a cmd, a message, a media request), if the app's share
   * of the queue has room for it; false (nothing queued) when it has not.
   */
  offerControl(frame: Uint8Array, onSent?: () => void): boolean {
    if (this.closed || !this.hasRoomForRequest(frame.length)) return false
    this.push(frame, onSent)
    return true
  }

  /** Whether the app's share of the control queue has room for a request of `bytes` now. */
  hasRoomForRequest(bytes: number): boolean {
    return this.fits(bytes, REQUEST_SHARE)
  }

  addSource(source: FrameSource): void {
    if (this.closed) return
    this.sources.push(source)
    this.schedule()
  }

  removeSource(source: FrameSource): void {
    const index = this.sources.indexOf(source)
    if (index === -1) return
    this.sources.splice(index, 1)
    if (this.turn > index) this.turn--
  }

  /** A source has a frame ready again. */
  wake(): void {
    this.schedule()
  }

  close(): void {
    this.closed = true
    this.control.length = 0
    this.controlBytes = 0
    this.sources.length = 0
    if (this.pollTimer) clearTimeout(this.pollTimer)
    this.pollTimer = undefined
  }

  private push(frame: Uint8Array, onSent: (() => void) | undefined): void {
    this.control.push({ frame, onSent })
    this.controlBytes += frame.length
    this.schedule()
  }

  private fits(bytes: number, share: number): boolean {
    return (
      this.control.length + 1 <= MAX_CONTROL_FRAMES * share && this.controlBytes + bytes <= MAX_CONTROL_BYTES * share
    )
  }

  /** Closes the queue, and reports it once the current task is over (the caller may be mid-frame). */
  private overflow(reason: string): void {
    this.close()
    const report = this.options.onOverflow
    if (report) queueMicrotask(() => report(reason))
  }

  /** Coalesces wake-ups from one tick into one pump. */
  private schedule(): void {
    if (this.scheduled || this.closed || !this.channel) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      this.pump()
    })
  }

  private pump(): void {
    const channel = this.channel
    if (!channel || this.closed) return
    if (this.pollTimer) {
      clearTimeout(this.pollTimer)
      this.pollTimer = undefined
    }
    while (!this.closed && this.control.length > 0 && this.below(CONTROL_LIMIT_BYTES)) {
      const { frame, onSent } = this.control.shift()!
      this.controlBytes -= frame.length
      this.send(channel, frame)
      onSent?.()
    }
    let blocked = this.control.length > 0
    while (!blocked && !this.closed && this.sources.length > 0) {
      if (!this.below(HIGH_WATER_BYTES)) {
        blocked = true
        break
      }
      const frame = this.nextDataFrame()
      if (!frame) break
      this.send(channel, frame)
    }
    if (blocked && !this.closed) {
      this.pollTimer = setTimeout(() => this.pump(), this.lowFires ? SAFETY_POLL_MS : BUFFERED_POLL_MS)
    }
  }

  /**
   * Whether the channel buffers less than `limit`. Reading `bufferedAmount` is costly in some
   * implementations (a native round trip in `@roamhq/wrtc`, most of a cmd's cost), so the queue keeps an
   * upper bound, the last reading plus what it sent since, and reads again only when that reaches the
   * limit: a buffer only drains on its own, so the bound is never too low.
   */
  private below(limit: number): boolean {
    if (this.buffered < limit) return true
    this.buffered = this.channel?.bufferedAmount ?? 0
    return this.buffered < limit
  }

  private send(channel: FrameChannel, frame: Uint8Array): void {
    channel.send(frame)
    this.buffered += frame.length
  }

  private nextDataFrame(): Uint8Array | undefined {
    const count = this.sources.length
    for (let i = 0; i < count; i++) {
      const index = (this.turn + i) % count
      const frame = this.sources[index]?.nextFrame()
      if (frame) {
        this.turn = (index + 1) % count
        return frame
      }
    }
    return undefined
  }
}
