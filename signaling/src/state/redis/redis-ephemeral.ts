import type { Redis } from 'ioredis'
import type { ServerState } from '../server-state.js'
import { RedisRateStore } from './redis-buckets.js'
import { RedisHolderStore } from './redis-holders.js'
import { RedisPresenceStore } from './redis-presence.js'
import { RedisRoomStore } from './redis-rooms.js'

/** The parts of the server state that live as long as sessions do, and the rate buckets. */
export type EphemeralState = Pick<ServerState, 'rooms' | 'presence' | 'holders' | 'rates'>

/**
 * Rooms, presence subscriptions, media holders and rate buckets in one Redis, under `prefix`, shared
 * by every node that uses the same client settings and prefix. The client's commands are the only
 * thing used: closing it is the caller's.
 */
export function redisEphemeralState(client: Redis, prefix: string): EphemeralState {
  return {
    rooms: new RedisRoomStore(client, prefix),
    presence: new RedisPresenceStore(client, prefix),
    holders: new RedisHolderStore(client, prefix),
    rates: new RedisRateStore(client, prefix),
  }
}
