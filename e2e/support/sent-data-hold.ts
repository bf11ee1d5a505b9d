import type { DemoUser } from './demo-user'
import { holdDirectData } from './direct-hold'
import type { RelayHolds } from './relay-hold'

/**
 * Demo query for users whose transfers a test holds: with the client's defaults a held transfer fails
 * with `idle-timeout` after 30 s without data (a media task after 2 minutes), which on a slow machine
 * could come before the test's next click. Five minutes outlasts any test (a busy one gets 3 minutes).
 */
export const PATIENT_LINKS = { idle: String(5 * 60_000) }

/** What a user sends, held from an offset on, whichever path it takes. */
export interface SentDataHold {
  /** Frames held so far, on both paths: while there is one, no transfer it belongs to can finish. */
  heldFrames(): Promise<number>
}

/**
 * Holds the data `user` sends from `afterBytes` on, both on their data channels (`holdDirectData`) and
 * in the server's relay (`RelayHolds.hold`), so a transfer stands still there whether its link is
 * direct, relayed, or falls back to the relay while the machine is slow. Control frames go through.
 */
export async function holdSentData(user: DemoUser, relayHolds: RelayHolds, afterBytes: number): Promise<SentDataHold> {
  const direct = await holdDirectData(user.page, afterBytes)
  const relay = relayHolds.hold(user.name, afterBytes)
  return { heldFrames: async () => (await direct.heldFrames()) + relay.heldFrames() }
}
