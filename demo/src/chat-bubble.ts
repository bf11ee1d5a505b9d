import { el } from './dom'
import { formatTime } from './format'

export type MessageKind = 'text' | 'image' | 'file'

/**
 * One chat message either way: who and when (and in which room, for a room's), a status for the ones
 * sent (uploading, sending, delivered or why not), and a body the chat fills in (text, or a media card
 * with its controls).
 */
export class ChatBubble {
  readonly element: HTMLLIElement
  readonly body = el('div', { className: 'chat-body' })
  private readonly status = el('span', { className: 'message-status', testId: 'chat-status' })

  constructor(direction: 'in' | 'out', who: string, kind: MessageKind, room?: string) {
    const where = room === undefined ? [] : [roomTag(room)]
    this.element = el(
      'li',
      {
        className: 'message chat-message',
        testId: 'chat-message',
        attrs: { 'data-direction': direction, 'data-type': kind },
      },
      [
        el('div', { className: 'message-head' }, [
          el('span', { className: 'message-from', testId: 'chat-from', text: who }),
          ...where,
          el('time', { className: 'muted', text: formatTime(new Date()) }),
          this.status,
        ]),
        this.body,
      ],
    )
    if (room !== undefined) this.element.dataset.room = room
  }

  /** Marks the bubble with its media id once known, so tests and styles can find it. */
  set mediaId(id: string) {
    this.element.dataset.mediaId = id
  }

  setStatus(text: string): void {
    this.status.textContent = text
  }

  fail(reason: string): void {
    this.status.textContent = reason
    this.element.dataset.state = 'failed'
  }
}

/** The room a message went to, as a small tag after the sender. */
function roomTag(room: string): HTMLElement {
  return el('span', { className: 'message-room', testId: 'chat-room', text: room, attrs: { title: `Room ${room}` } })
}
