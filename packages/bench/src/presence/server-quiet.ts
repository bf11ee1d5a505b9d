import { monotonicMs, sleep } from '../measure.js'
import type { PresenceServers } from './presence-servers.js'
import type { PresenceServerStats } from './server-stats.js'

/** Poll period while waiting for a server to stop sending: a quiet poll period means it is done. */
const QUIET_POLL_MS = 100

/**
 * Longest wait for a server to go quiet after logins. Today's Ferry server announces each login to
 * every user online, and after a storm of thousands it is still writing those for a while.
 */
const QUIET_TIMEOUT_MS = 120_000

/**
 * The server's stats once it has sent no message for QUIET_POLL_MS: everything the last logins made it
 * send is counted. Rejects if it keeps sending past QUIET_TIMEOUT_MS.
 */
export async function quietStats(server: PresenceServers): Promise<PresenceServerStats> {
  const deadline = monotonicMs() + QUIET_TIMEOUT_MS
  let last = await server.stats()
  for (;;) {
    await sleep(QUIET_POLL_MS)
    const now = await server.stats()
    if (now.sent.messages === last.sent.messages) return now
    if (monotonicMs() > deadline)
      throw new Error(`the server was still sending ${QUIET_TIMEOUT_MS} ms after the logins`)
    last = now
  }
}
