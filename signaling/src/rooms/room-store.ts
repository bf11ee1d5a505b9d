import { FerryError, MAX_ROOMS_PER_CLIENT } from '@ferry/protocol'
import { DEFAULT_LIMITS } from '../limits/limit-settings.js'

/** The caps a join is held to. */
export interface RoomCaps {
  /** Rooms one user may be in at once. */
  maxRoomsPerUser: number
  /** Members one room may have. */
  maxMembers: number
}

/** The caps of a server with the default limits. */
export const DEFAULT_ROOM_CAPS: RoomCaps = {
  maxRoomsPerUser: MAX_ROOMS_PER_CLIENT,
  maxMembers: DEFAULT_LIMITS.maxRoomMembers,
}

/** A room a user was in, and who stays in it. */
export interface RoomLeft {
  room: string
  /** The members left, in the order they joined. */
  members: string[]
}

/**
 * Who is in which room. A user joins rooms with their session and leaves them all when they go
 * offline. Membership is by user id, never socket: routing stays by user.
 *
 * Methods return promises so a store shared by several server nodes fits the same shape; each call is
 * atomic on its own. Member lists are in the order the members joined.
 */
export interface RoomStore {
  /**
   * Adds `userId` to `room`. Resolves to whether they were not in it yet, and the members then.
   * Rejects with `too-many-recipients`, changing nothing, past either cap.
   */
  join(userId: string, room: string, caps: RoomCaps): Promise<{ added: boolean; members: string[] }>
  /** Removes `userId` from `room`: the members who stay, or undefined when they were not in it. */
  leave(userId: string, room: string): Promise<string[] | undefined>
  /** Leaves every room: the rooms left, each with the members who stay. */
  leaveAll(userId: string): Promise<RoomLeft[]>
  membersOf(room: string): Promise<string[]>
  isMember(userId: string, room: string): Promise<boolean>
  roomsOf(userId: string): Promise<string[]>
  /**
   * These users are still online on this node: their memberships stay. A shared store forgets those
   * of users nobody refreshed for a while (their node died); a store of one process keeps them.
   */
  refresh(userIds: readonly string[]): Promise<void>
}

/** The refusal of a join past a cap, the same from every store. */
export function roomCapError(cap: 'rooms' | 'members', room: string, caps: RoomCaps): FerryError {
  return cap === 'rooms'
    ? new FerryError('too-many-recipients', `a user may be in at most ${caps.maxRoomsPerUser} rooms`)
    : new FerryError('too-many-recipients', `room ${room} has ${caps.maxMembers} members, the most it may have`)
}

/** The default store: this process's memory. */
export class InMemoryRoomStore implements RoomStore {
  readonly #members = new Map<string, Set<string>>()
  readonly #rooms = new Map<string, Set<string>>()

  async join(userId: string, room: string, caps: RoomCaps): Promise<{ added: boolean; members: string[] }> {
    const mine = this.#rooms.get(userId) ?? new Set<string>()
    if (mine.has(room)) return { added: false, members: this.#list(room) }
    if (mine.size >= caps.maxRoomsPerUser) throw roomCapError('rooms', room, caps)
    if ((this.#members.get(room)?.size ?? 0) >= caps.maxMembers) throw roomCapError('members', room, caps)
    mine.add(room)
    this.#rooms.set(userId, mine)
    const members = this.#members.get(room) ?? new Set<string>()
    members.add(userId)
    this.#members.set(room, members)
    return { added: true, members: [...members] }
  }

  async leave(userId: string, room: string): Promise<string[] | undefined> {
    return this.#leave(userId, room)
  }

  async leaveAll(userId: string): Promise<RoomLeft[]> {
    const left: RoomLeft[] = []
    for (const room of [...(this.#rooms.get(userId) ?? [])]) {
      left.push({ room, members: this.#leave(userId, room) ?? [] })
    }
    return left
  }

  async membersOf(room: string): Promise<string[]> {
    return this.#list(room)
  }

  async isMember(userId: string, room: string): Promise<boolean> {
    return this.#members.get(room)?.has(userId) ?? false
  }

  async roomsOf(userId: string): Promise<string[]> {
    return [...(this.#rooms.get(userId) ?? [])]
  }

  async refresh(): Promise<void> {}

  #leave(userId: string, room: string): string[] | undefined {
    const members = this.#members.get(room)
    if (!members?.delete(userId)) return undefined
    if (members.size === 0) this.#members.delete(room)
    const mine = this.#rooms.get(userId)
    mine?.delete(room)
    if (mine?.size === 0) this.#rooms.delete(userId)
    return [...members]
  }

  #list(room: string): string[] {
    return [...(this.#members.get(room) ?? [])]
  }
}
