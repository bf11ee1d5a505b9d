import { userRoom } from './rooms.js'
import type { SessionStore } from './session-store.js'
import type { FerryServer } from './types.js'

/**
 * How long one relaying connection takes a target it found online as online without asking the
 * session store again. A relay sends a frame per 64 KiB: a store round trip each (Redis, with several
 * nodes) would bound the relay by that round trip. A target that goes offline within this time gets
 * at most this long of frames sent to an empty room, where nobody reads them; its sender learns from
 * `presence:offline` (a client follows the peers it links to) or from the relay window.
 */
export const RELAY_ONLINE_CACHE_MS = 1000

/** Where a relayed frame goes: this node's own socket of the target, another node's, or nowhere. */
export type RelayRoute = 'local' | 'remote' | 'offline'

/**
 * Finds where a relaying connection's targets are. A target with a socket on this node is reached
 * here, without the adapter (with Redis, a broadcast would go through Redis even to a local socket);
 * any other is looked up in the session store, and an online answer kept for RELAY_ONLINE_CACHE_MS.
 */
export class RelayReach {
  readonly #onlineUntil = new Map<string, number>()

  constructor(
    private readonly io: FerryServer,
    private readonly store: SessionStore,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async route(to: string): Promise<RelayRoute> {
    if ((this.io.of('/').adapter.rooms.get(userRoom(to))?.size ?? 0) > 0) return 'local'
    const until = this.#onlineUntil.get(to)
    if (until !== undefined && until > this.now()) return 'remote'
    if (!(await this.store.isOnline(to))) {
      this.#onlineUntil.delete(to)
      return 'offline'
    }
    // A map as large as the targets this connection relays to, which its windows bound.
    this.#onlineUntil.set(to, this.now() + RELAY_ONLINE_CACHE_MS)
    return 'remote'
  }

  /** The target went offline (or its transfers ended): ask the store next time. */
  forget(to: string): void {
    this.#onlineUntil.delete(to)
  }
}
