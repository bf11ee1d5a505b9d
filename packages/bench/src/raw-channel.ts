import { BUFFERED_POLL_MS } from '@ferry/protocol'
import { sleep } from './measure.js'

/** Size of a cmd-round-trip ping, as the issue specifies. */
export const CMD_BYTES = 16

/** How often the warm-up message is resent until echoed, in case the receiver's handler was not attached yet. */
const WARMUP_RETRY_MS = 100
const WARMUP_TRIES = 100

/**
 * Waits until the channel's `bufferedAmount` is under `highWaterBytes`, polling every `BUFFERED_POLL_MS`:
 * `@roamhq/wrtc` never fires `bufferedamountlow`, so an event-driven sender would stall.
 */
export async function pollForRoom(channel: RTCDataChannel, highWaterBytes: number): Promise<void> {
  while (channel.bufferedAmount >= highWaterBytes) await sleep(BUFFERED_POLL_MS)
}

/** Sends 'warmup' until the receiver echoes it: the path is open end to end, both handlers attached. */
export async function warmUpChannel(channel: RTCDataChannel): Promise<void> {
  let echoed = false
  channel.onmessage = (event) => {
    if (event.data === 'warmup') echoed = true
  }
  for (let tries = 0; tries < WARMUP_TRIES; tries++) {
    channel.send('warmup')
    for (let waited = 0; waited < WARMUP_RETRY_MS && !echoed; waited += 5) await sleep(5)
    if (echoed) return
  }
  throw new Error('the raw receiver never echoed the warm-up message')
}

/** Sends `warmup + count` sequential 16-byte pings, each after the previous echo; returns the last `count` times in ms. */
export async function timeRoundTrips(channel: RTCDataChannel, warmup: number, count: number): Promise<number[]> {
  const ping = new Uint8Array(CMD_BYTES).map((_, i) => i)
  let echo: (() => void) | undefined
  channel.onmessage = (event) => {
    if (typeof event.data !== 'string') echo?.()
  }
  const rttMs: number[] = []
  for (let i = 0; i < warmup + count; i++) {
    const echoed = new Promise<void>((resolve) => {
      echo = resolve
    })
    const started = performance.now()
    channel.send(ping)
    await echoed
    if (i >= warmup) rttMs.push(performance.now() - started)
  }
  return rttMs
}
