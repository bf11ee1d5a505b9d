import { type GroupStore, InMemoryGroupStore } from '../groups/group-store.js'
import { InMemoryRateStore, type RateStore } from '../limits/rate-store.js'
import { type HolderStore, InMemoryHolderStore } from '../media-holders/holder-store.js'
import { InMemoryPresenceStore, type PresenceStore } from '../presence/presence-store.js'
import { InMemoryRoomStore, type RoomStore } from '../rooms/room-store.js'
import { InMemorySessionStore, type SessionStore } from '../session-store.js'
import { type DedupeStore, InMemoryDedupeStore } from './dedupe-store.js'
import { type FileTokenStore, InMemoryFileTokenStore } from './file-token-store.js'
import { type InboxStore, InMemoryInboxStore } from './inbox-store.js'

/** What a state shared by several nodes tells the server about nodes that died. */
export interface DeadSessionHandlers {
  /**
   * Nodes died (their heartbeat lapsed) and these users, theirs, did not log in again elsewhere: their
   * sessions are gone from the state; the server announces them offline and undoes what they held.
   */
  gone(userIds: string[]): Promise<void>
  /** This node was taken for dead itself (it stalled): its sessions are gone, its sockets must log in again. */
  swept(): void
}

/**
 * Everything the server keeps beyond one request, behind one small interface per concept. The
 * in-memory state is one process's; the file-backed state keeps what must survive a restart on disk;
 * the Redis state is shared by every node.
 */
export interface ServerState {
  /** Who is online, and which socket holds each user's one session. */
  sessions: SessionStore
  /** The server API's groups. */
  groups: GroupStore
  /** Deliveries not yet acknowledged by their recipient. */
  inbox: InboxStore
  /** First answers to sends by (from, mid). */
  dedupe: DedupeStore
  /** The server API's file tokens. */
  fileTokens: FileTokenStore
  /** Who is in which room. */
  rooms: RoomStore
  /** Who follows whose presence. */
  presence: PresenceStore
  /** Who said they hold which media. */
  holders: HolderStore
  /** The rate limits' token buckets, by user and by address. */
  rates: RateStore
  /** Shared states only: from now on, dead nodes' users and this node's own sweep go to `handlers`. */
  watchDeadSessions?(handlers: DeadSessionHandlers): void
  /** Flushes and releases what the state holds (files, connections). Safe to call more than once. */
  close(): Promise<void>
}

/** Every part in this process's memory: nothing survives the process. */
export function memoryState(now: () => number = Date.now): ServerState {
  return {
    sessions: new InMemorySessionStore(),
    groups: new InMemoryGroupStore(),
    inbox: new InMemoryInboxStore(),
    dedupe: new InMemoryDedupeStore(now),
    fileTokens: new InMemoryFileTokenStore(now),
    rooms: new InMemoryRoomStore(),
    presence: new InMemoryPresenceStore(),
    holders: new InMemoryHolderStore(),
    rates: new InMemoryRateStore(),
    close: async () => {},
  }
}
