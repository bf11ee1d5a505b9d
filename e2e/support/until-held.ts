import { expect } from '@playwright/test'

/**
 * How long a sender may take to get as far as a hold. Reading, hashing and sending a few MiB takes
 * seconds on a loaded machine (a media upload reads its first 4 MiB piece back from the cache first),
 * more than the 20 s an ordinary step gets; the test's own time bound still applies.
 */
const HOLD_REACHED_TIMEOUT_MS = 60_000

/** Resolves once `heldCount` says something is held: the transfer stands still at the hold. */
export async function untilHeld(heldCount: () => number | Promise<number>): Promise<void> {
  await expect
    .poll(heldCount, { message: 'the transfer reaches its hold', timeout: HOLD_REACHED_TIMEOUT_MS })
    .toBeGreaterThan(0)
}
