import { type FerryClient, FerryError, MAX_ROOMS_PER_CLIENT } from '@ferry/client'
import { button, el } from './dom'
import { describeError } from './error-text'
import { LOBBY_ROOM } from './lobby'
import { RoomComposer } from './room-composer'
import { RoomMembersView, type RoomRoster } from './room-members-view'

const BAD_ROOM_NAME = 'That room name is not allowed: use 1 to 64 letters, digits and _ . @ : -'
const LOBBY_NOT_A_CHAT = 'That is the lobby everyone here is in: it keeps the people list, it is not a chat'

/** Rooms one can join here: the client's limit, less the lobby that every page is in already. */
const MAX_JOINED_ROOMS = MAX_ROOMS_PER_CLIENT - 1

export interface RoomsViewOptions {
  /** A text to a room. */
  text(room: string, text: string): void
  /** Files to a room, as image or file messages. */
  media(room: string, files: File[]): void
  /** Shows why a join or leave failed. */
  report(problem: string): void
}

/**
 * Rooms: join one by name, see the rooms joined (pick one, or leave it), the picked room's members
 * with a live count, and write to it. Members come from the join, then from `room-member` events;
 * after a reconnect (the client joins its rooms again) they are asked for afresh. The lobby (see
 * `Lobby`) is none of these: it is not listed here and cannot be joined, left or written to from here.
 */
export class RoomsView {
  readonly element: HTMLElement
  private readonly list = el('ul', { className: 'rooms', testId: 'room-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-rooms', text: 'Not in any room yet.' })
  private readonly rosters = new Map<string, RoomRoster>()
  private readonly members: RoomMembersView
  private readonly composer: RoomComposer
  private picked: string | undefined

  constructor(
    private readonly client: FerryClient,
    private readonly options: RoomsViewOptions,
  ) {
    this.members = new RoomMembersView(client.userId ?? '')
    this.composer = new RoomComposer({
      text: (text) => this.withRoom((room) => options.text(room, text)),
      media: (files) => this.withRoom((room) => options.media(room, files)),
    })
    this.element = el('section', { className: 'card rooms-panel' }, [
      el('h2', { text: 'Rooms' }),
      this.joinForm(),
      this.empty,
      this.list,
      this.members.element,
      this.composer.element,
    ])
    client.on('room-member', ({ room, userId, joined, count }) => {
      const roster = this.rosters.get(room)
      if (!roster) return
      if (joined) roster.members.add(userId)
      else roster.members.delete(userId)
      roster.count = count
      this.render()
    })
    client.on('state', ({ state }) => {
      // The client sends its joins again as the session comes back; ask after them, not before.
      if (state === 'connected') setTimeout(() => void this.refresh(), 0)
    })
    this.render()
  }

  private joinForm(): HTMLFormElement {
    const input = el('input', {
      testId: 'room-name',
      attrs: {
        id: 'room-name',
        type: 'text',
        autocomplete: 'off',
        maxlength: '64',
        placeholder: 'Room name, e.g. team',
      },
    })
    const join = el('button', { className: 'primary', testId: 'room-join', text: 'Join', attrs: { type: 'submit' } })
    const form = el('form', {}, [
      el('label', { text: `Join a room (up to ${MAX_JOINED_ROOMS})`, attrs: { for: 'room-name' } }),
      el('div', { className: 'row' }, [input, join]),
    ])
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const room = input.value.trim()
      if (!room) return
      join.disabled = true
      void this.join(room)
        .then((joined) => {
          if (joined) input.value = ''
        })
        .finally(() => {
          join.disabled = false
        })
    })
    return form
  }

  /** Joins `room` (or just picks it when already in it); resolves with whether it is joined now. */
  private async join(room: string): Promise<boolean> {
    if (room === LOBBY_ROOM) {
      this.options.report(LOBBY_NOT_A_CHAT)
      return false
    }
    if (!this.rosters.has(room)) {
      if (this.rosters.size >= MAX_JOINED_ROOMS) {
        this.options.report(`You are in ${MAX_JOINED_ROOMS} rooms already, the most here: leave one first`)
        return false
      }
      try {
        const { members } = await this.client.joinRoom(room)
        this.rosters.set(room, { members: new Set(members), count: members.length })
      } catch (error) {
        this.options.report(roomProblem(error))
        return false
      }
    }
    this.pick(room)
    return true
  }

  private async leave(room: string): Promise<void> {
    try {
      await this.client.leaveRoom(room)
    } catch (error) {
      this.options.report(describeError(error))
      return
    }
    this.rosters.delete(room)
    if (this.picked === room) this.pick(this.rosters.keys().next().value)
    else this.render()
  }

  /** Members again, after a reconnect; a room the server no longer has us in is dropped. */
  private async refresh(): Promise<void> {
    for (const [room, roster] of this.rosters) {
      try {
        const members = await this.client.roomMembers(room)
        roster.members = new Set(members)
        roster.count = members.length
      } catch (error) {
        if (error instanceof FerryError && error.code === 'not-a-member') this.rosters.delete(room)
      }
    }
    if (this.picked !== undefined && !this.rosters.has(this.picked)) this.pick(this.rosters.keys().next().value)
    else this.render()
  }

  private pick(room: string | undefined): void {
    this.picked = room
    this.composer.setRoom(room)
    this.render()
  }

  private withRoom(send: (room: string) => void): void {
    if (this.picked !== undefined) send(this.picked)
  }

  private render(): void {
    const rooms = [...this.rosters.keys()].sort((a, b) => a.localeCompare(b))
    this.list.replaceChildren(...rooms.map((room) => this.item(room)))
    this.empty.hidden = rooms.length > 0
    this.members.show(this.picked, this.picked === undefined ? undefined : this.rosters.get(this.picked))
  }

  private item(room: string): HTMLLIElement {
    const picked = room === this.picked
    const count = this.rosters.get(room)?.count ?? 0
    const choose = el(
      'button',
      {
        className: `room${picked ? ' picked' : ''}`,
        testId: `joined-room-${room}`,
        attrs: { type: 'button', 'aria-pressed': String(picked) },
      },
      [
        el('span', { className: 'room-name', text: room }),
        el('span', { className: 'room-size', text: `${count} in it` }),
      ],
    )
    choose.addEventListener('click', () => this.pick(room))
    const leave = button('Leave', () => void this.leave(room), {
      className: 'small',
      testId: `leave-room-${room}`,
      attrs: { 'aria-label': `Leave ${room}` },
    })
    return el('li', { className: 'room-row' }, [choose, leave])
  }
}

/** Words for a failed join: a bad name says which names are allowed. */
function roomProblem(error: unknown): string {
  if (error instanceof FerryError && error.code === 'invalid-argument') return BAD_ROOM_NAME
  return describeError(error)
}
