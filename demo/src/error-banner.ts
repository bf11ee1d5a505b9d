import { button, el } from './dom'

/** One line at the top for errors that belong to no transfer row; the newest replaces the last. */
export class ErrorBanner {
  readonly element = el('div', { className: 'banner', testId: 'error-banner', attrs: { role: 'alert' } })
  private readonly text = el('span', { className: 'banner-text' })

  constructor() {
    this.element.append(
      this.text,
      button('Dismiss', () => this.clear(), { className: 'link', testId: 'dismiss-error' }),
    )
    this.element.hidden = true
  }

  show(message: string): void {
    this.text.textContent = message
    this.element.hidden = false
  }

  clear(message?: string): void {
    if (message !== undefined && this.text.textContent !== message) return
    this.text.textContent = ''
    this.element.hidden = true
  }
}
