import { FerryError, MAX_ROOMS_PER_CLIENT } from '@ferry/protocol'
import { DEFAULT_LIMITS } from '../limits/limit-settings.js'

/**
 * Who is in which room, in this server's memory. A user joins rooms with their session and leaves
 * them all when they go offline. Membership is by user id, never socket: routing stays by user.
 */
export class RoomRegistry {
  private readonly members = new Map<string, Set<string>>()
  private readonly rooms = new Map<string, Set<string>>()

  constructor(
    private readonly maxRoomsPerUser = MAX_ROOMS_PER_CLIENT,
    private readonly maxMembers = DEFAULT_LIMITS.maxRoomMembers,
  ) {}

  /**
   * Adds `userId` to `room`; true when they were not in it. Throws `too-many-recipients` past the
   * per-user limit of rooms or the room's limit of members.
   */
  join(userId: string, room: string): boolean {
    const mine = this.rooms.get(userId) ?? new Set<string>()
    if (mine.has(room)) return false
    if (mine.size >= this.maxRoomsPerUser) {
      throw new FerryError('too-many-recipients', `a user may be in at most ${this.maxRoomsPerUser} rooms`)
    }
    if ((this.members.get(room)?.size ?? 0) >= this.maxMembers) {
      throw new FerryError('too-many-recipients', `room ${room} has ${this.maxMembers} members, the most it may have`)
    }
    mine.add(room)
    this.rooms.set(userId, mine)
    const members = this.members.get(room) ?? new Set<string>()
    members.add(userId)
    this.members.set(room, members)
    return true
  }

  /** Removes `userId` from `room`; true when they were in it. */
  leave(userId: string, room: string): boolean {
    const members = this.members.get(room)
    if (!members?.delete(userId)) return false
    if (members.size === 0) this.members.delete(room)
    const mine = this.rooms.get(userId)
    mine?.delete(room)
    if (mine?.size === 0) this.rooms.delete(userId)
    return true
  }

  /** Leaves every room; returns the rooms left. */
  leaveAll(userId: string): string[] {
    const left = [...(this.rooms.get(userId) ?? [])]
    for (const room of left) this.leave(userId, room)
    return left
  }

  membersOf(room: string): string[] {
    return [...(this.members.get(room) ?? [])]
  }

  isMember(userId: string, room: string): boolean {
    return this.members.get(room)?.has(userId) ?? false
  }

  roomsOf(userId: string): string[] {
    return [...(this.rooms.get(userId) ?? [])]
  }
}
