import type { Task } from '@ferry/client'
import { el } from './dom'
import { describeError } from './error-text'
import { formatBytes, formatTime } from './format'

/** Messages (cmds) both ways, newest last, with the delivery state of the ones sent. */
export class MessagesView {
  readonly element: HTMLElement
  private readonly list = el('ol', { className: 'messages', testId: 'message-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-messages', text: 'No cmds yet.' })

  constructor() {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'Cmds' }), this.empty, this.list])
  }

  received(from: string, data: string | Uint8Array): void {
    this.add('in', from, data)
  }

  /** Shows a sent message; resolves with the error text when it failed. */
  async sent(task: Task, text: string): Promise<string | undefined> {
    const status = el('span', { className: 'message-status', testId: 'message-status', text: 'Sending…' })
    const item = this.add('out', `You → ${task.to}`, text, status)
    try {
      await task.done
      status.textContent = 'Delivered'
      return undefined
    } catch (error) {
      const reason = describeError(error, task.to)
      status.textContent = reason
      item.dataset.state = 'failed'
      return reason
    }
  }

  private add(direction: 'in' | 'out', who: string, data: string | Uint8Array, status?: Node): HTMLLIElement {
    const body = typeof data === 'string' ? data : `(${formatBytes(data.length)} of binary data)`
    const item = el('li', { className: 'message', testId: 'message', attrs: { 'data-direction': direction } }, [
      el('div', { className: 'message-head' }, [
        el('span', { className: 'message-from', testId: 'message-from', text: who }),
        el('time', { className: 'muted', text: formatTime(new Date()) }),
        ...(status ? [status] : []),
      ]),
      el('p', { className: 'message-text', testId: 'message-text', text: body }),
    ])
    this.list.append(item)
    this.empty.hidden = true
    this.list.scrollTop = this.list.scrollHeight
    return item
  }
}
