import type { DemoUser } from './demo-user'
import { holdDirectData } from './direct-hold'
import type { RelayHolds } from './relay-hold'

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
