import type { FileSink, Platform } from '../src/index.js'

/** Where the receiver holds each transfer: past the first acks, far from the end. */
export const HOLD_AT_BYTES = 4 * 1024 * 1024

/**
 * A receiving platform whose file writes stop once HOLD_AT_BYTES are written, until `release()`:
 * the receiver stops acking, the sender's window fills, and the transfer stands still mid-way.
 */
export function holdingPlatform(base: Platform): { platform: Platform; reached: Promise<void>; release(): void } {
  let reach = (): void => {}
  const reached = new Promise<void>((resolve) => {
    reach = resolve
  })
  let release = (): void => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  const platform: Platform = {
    ...base,
    createFileSink: async (info) => {
      const sink = await base.createFileSink(info)
      let written = 0
      const held: FileSink = {
        write: async (data) => {
          if (written >= HOLD_AT_BYTES) {
            reach()
            await released
          }
          written += data.length
          await sink.write(data)
        },
        finish: (sha256) => sink.finish(sha256),
        abort: () => sink.abort(),
      }
      return held
    },
  }
  return { platform, reached, release }
}
