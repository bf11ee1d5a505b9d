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
 * Backpressure in one place. Control frames go first; data frames from every source take turns
 * (round robin), and only while the channel holds less than HIGH_WATER_BYTES. When it is full the
 * queue waits for `bufferedamountlow` where the implementation fires it, and polls `bufferedAmount`
 * every BUFFERED_POLL_MS until it has seen the event fire, because some (`@roamhq/wrtc`) never do.
 */
export class SendQueue {
  private readonly control: { frame: Uint8Array; onSent: (() => void) | undefined }[] = []
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

  /** Queues a control frame; `onSent` runs when it is handed to the channel. */
  sendControl(frame: Uint8Array, onSent?: () => void): void {
    if (this.closed) return
    this.control.push({ frame, onSent })
    this.schedule()
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
    this.sources.length = 0
    if (this.pollTimer) clearTimeout(this.pollTimer)
    this.pollTimer = undefined
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
