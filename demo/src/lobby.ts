import type { FerryClient, RoomMemberEvent } from '@ferry/client'
import { describeError } from './error-text'

/**
 * The room every demo page joins right after login, so its people list can show who else is here:
 * the server tells a user only about the users it follows and the members of its rooms, never about
 * everyone online. A name with a colon, so it cannot clash with a room someone makes up in the Rooms
 * card (which refuses it anyway: the lobby is not a chat).
 */
export const LOBBY_ROOM = 'ferry-demo:lobby'

export interface LobbyOptions {
  /** The members changed. */
  changed(): void
  /** Shows why joining the lobby failed. */
  report(problem: string): void
}

/**
 * The lobby's members other than this user, live: from the join's answer, then from `room-member`
 * events. After a reconnect (where the server dropped this user from every room) it joins again,
 * which also answers with the members; the client's own rejoin of the same room changes nothing then.
 */
export class Lobby {
  private here = new Set<string>()
  /** Member events that arrived while a join was under way, replayed on top of its answer. */
  private pending: RoomMemberEvent[] | undefined

  constructor(
    private readonly client: FerryClient,
    private readonly options: LobbyOptions,
  ) {
    client.on('room-member', (event) => this.onMember(event))
    client.on('state', ({ state }) => {
      if (state === 'connected') void this.join()
    })
  }

  /** The other users in the lobby now. */
  get members(): ReadonlySet<string> {
    return this.here
  }

  /** Joins the lobby (again), and takes its members from the answer. */
  async join(): Promise<void> {
    const pending: RoomMemberEvent[] = []
    this.pending = pending
    let members: string[]
    try {
      members = (await this.client.joinRoom(LOBBY_ROOM)).members
    } catch (error) {
      if (this.pending === pending) {
        this.pending = undefined
        this.options.report(`Could not join the lobby, so nobody is listed: ${describeError(error)}`)
      }
      return
    }
    if (this.pending !== pending) return // a later join answers instead
    this.pending = undefined
    // Replayed in order, the events seen since the join was asked leave each user as their latest one
    // says, whether it came before or after the server made the answer.
    this.here = new Set(members.filter((member) => member !== this.client.userId))
    for (const event of pending) this.apply(event)
    this.options.changed()
  }

  private onMember(event: RoomMemberEvent): void {
    if (event.room !== LOBBY_ROOM || event.userId === this.client.userId) return
    this.pending?.push(event)
    this.apply(event)
    this.options.changed()
  }

  private apply({ userId, joined }: RoomMemberEvent): void {
    if (joined) this.here.add(userId)
    else this.here.delete(userId)
  }
}
