import { el } from './dom'
import { percent } from './format'

/** A thin progress bar with its percent, for an upload or download inside a chat message. */
export class ProgressLine {
  readonly element: HTMLElement
  private readonly fill = el('div', { className: 'bar-fill' })
  private readonly bar = el('div', {
    className: 'bar',
    testId: 'media-progress',
    attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' },
  })
  private readonly text = el('span', { className: 'percent', testId: 'media-progress-text', text: '0%' })
  private shown = 0

  constructor() {
    this.bar.append(this.fill)
    this.element = el('div', { className: 'progress-line' }, [this.bar, this.text])
  }

  /** Moves forward to `done` of `total`; never backwards. */
  show(done: number, total: number): void {
    const value = percent(done, total)
    if (value < this.shown) return
    this.shown = value
    this.text.textContent = `${value}%`
    this.fill.style.width = `${value}%`
    this.bar.setAttribute('aria-valuenow', String(value))
  }
}
