import { CHUNK_HEADER_BYTES, encodeFrame, PROTOCOL_VERSION, SHA256_BYTES } from '@ferry/protocol'
import type { Page } from '@playwright/test'

/** A chunk frame's header ends with the chunk's u64 offset (see frame-codec.ts). */
const OFFSET_BYTES = 8

/** What the page needs to tell data frames from the rest, read off the protocol's own encoder. */
interface HoldSettings {
  afterBytes: number
  version: number
  chunkType: number
  endType: number
  offsetAt: number
}

/** Data frames a page sends on its data channels, held from a chosen offset on. */
export interface DirectHold {
  /** Frames held so far: while there is one, no transfer it belongs to can finish. */
  heldFrames(): Promise<number>
}

/**
 * From now on, the data channels of `page` (every peer connection it has or opens) stop carrying
 * data once a chunk at `afterBytes` or beyond is to be sent: that chunk, and every chunk and end frame
 * after it, is held in the page and never sent, as if the network had stalled there. Everything else
 * (start, ack, cancel, error, cmd frames) still goes through, so either side can still cancel, and the
 * other side hears of it. The client's own flow control stops it a window past the last ack.
 *
 * A held transfer fails with `idle-timeout` after IDLE_TIMEOUT_MS (30 s) unless its users were given
 * longer (`PATIENT_LINKS`).
 */
export async function holdDirectData(page: Page, afterBytes: number): Promise<DirectHold> {
  const settings: HoldSettings = {
    afterBytes,
    version: PROTOCOL_VERSION,
    chunkType: typeCode(encodeFrame({ type: 'chunk', taskId: 0, offset: 0, data: new Uint8Array(0) })),
    endType: typeCode(encodeFrame({ type: 'end', taskId: 0, sha256: new Uint8Array(SHA256_BYTES) })),
    offsetAt: CHUNK_HEADER_BYTES - OFFSET_BYTES,
  }
  await page.evaluate(installHold, settings)
  return { heldFrames: () => page.evaluate(countHeld) }
}

/** The type byte of an encoded frame: the second, after the version. */
function typeCode(frame: Uint8Array): number {
  return frame[1]!
}

type HeldWindow = { ferryHeldFrames?: number }

/** Runs in the page: wraps `RTCDataChannel.prototype.send` to hold data frames as `holdDirectData` says. */
function installHold(s: HoldSettings): void {
  const page = window as unknown as HeldWindow
  if (page.ferryHeldFrames !== undefined) throw new Error('this page already holds its data frames')
  page.ferryHeldFrames = 0
  const isData = (frame: Uint8Array) => frame[0] === s.version && (frame[1] === s.chunkType || frame[1] === s.endType)
  const offsetOf = (frame: Uint8Array) => {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
    return view.getUint32(s.offsetAt) * 2 ** 32 + view.getUint32(s.offsetAt + 4)
  }
  const startsHold = (frame: Uint8Array) => frame[1] === s.chunkType && offsetOf(frame) >= s.afterBytes
  const send = RTCDataChannel.prototype.send as (this: RTCDataChannel, data: unknown) => void
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: unknown) {
    const holding = (page.ferryHeldFrames ?? 0) > 0
    if (data instanceof Uint8Array && isData(data) && (holding || startsHold(data))) {
      // Never sent, so nothing of it needs keeping: counting it is enough.
      page.ferryHeldFrames = (page.ferryHeldFrames ?? 0) + 1
      return
    }
    send.call(this, data)
  } as RTCDataChannel['send']
}

/** Runs in the page: how many frames `installHold` held back. */
function countHeld(): number {
  return (window as unknown as HeldWindow).ferryHeldFrames ?? 0
}
