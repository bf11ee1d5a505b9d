import { el } from './dom'

/** One room as the page knows it: who is in it, and how many the server last counted. */
export interface RoomRoster {
  members: Set<string>
  count: number
}

/** The picked room's members, live, with their count; `me` is marked as "you". */
export class RoomMembersView {
  readonly element: HTMLElement
  private readonly title = el('span', { className: 'room-members-title' })
  private readonly count = el('span', { className: 'count-badge', testId: 'room-count' })
  private readonly list = el('ul', { className: 'room-members', testId: 'room-members' })

  constructor(private readonly me: string) {
    this.element = el('div', { className: 'room-members-box' }, [
      el('h3', { className: 'room-members-head' }, [this.title, this.count]),
      this.list,
    ])
    this.show(undefined, undefined)
  }

  show(room: string | undefined, roster: RoomRoster | undefined): void {
    this.element.hidden = room === undefined || roster === undefined
    if (room === undefined || roster === undefined) return
    this.title.textContent = `In ${room}`
    this.count.textContent = String(roster.count)
    this.count.title = `${roster.count} ${roster.count === 1 ? 'member' : 'members'}`
    const names = [...roster.members].sort((a, b) => a.localeCompare(b))
    this.list.replaceChildren(...names.map((name) => this.item(name)))
  }

  private item(name: string): HTMLLIElement {
    const you = name === this.me ? [el('span', { className: 'muted', text: 'you' })] : []
    return el('li', { className: 'room-member', testId: `room-member-${name}` }, [
      el('span', { className: 'member-dot', attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'room-member-name', text: name }),
      ...you,
    ])
  }
}
