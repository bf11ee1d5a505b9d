import { button, el } from './dom'
import { formatBytes, formatDuration, formatSpeed, percent } from './format'
import { SpeedMeter } from './speed-meter'

/** Below this size a transfer is over before a speed means anything. */
const MIN_TIMED_BYTES = 1024 * 1024

export type RowState = 'active' | 'done' | 'failed'

export interface TransferRowOptions {
  testId: string
  direction: 'out' | 'in'
  /** A file's name, or a label for a buffer. */
  title: string
  peer: string
  total: number
  /** Shown until the first progress report. */
  waiting: string
  /** Shown while bytes move. */
  moving: string
  onCancel(): void
  /** Removes the row from its list. */
  onDismiss(): void
}

/**
 * One transfer, either way: name, direction and size; a progress bar with percent, speed and time
 * left; then the outcome in words. Cancel while it runs, then whatever actions fit the outcome.
 */
export class TransferRow {
  readonly element: HTMLLIElement
  private readonly fill = el('div', { className: 'bar-fill' })
  private readonly bar = el('div', {
    className: 'bar',
    testId: 'progress-bar',
    attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' },
  })
  private readonly percentText = el('span', { className: 'percent', testId: 'progress-text', text: '0%' })
  private readonly speedText = el('span', { testId: 'speed' })
  private readonly etaText = el('span', { testId: 'eta' })
  private readonly status = el('span', { className: 'status', testId: 'status' })
  private readonly actions = el('span', { className: 'actions' })
  private readonly meter = new SpeedMeter()
  private rowState: RowState = 'active'
  private moved = 0

  constructor(private readonly o: TransferRowOptions) {
    const arrow = o.direction === 'out' ? `to ${o.peer}` : `from ${o.peer}`
    this.bar.append(this.fill)
    this.status.textContent = o.waiting
    this.element = el('li', { className: 'transfer', testId: o.testId, attrs: { 'data-direction': o.direction } }, [
      el('div', { className: 'transfer-head' }, [
        el('span', { className: 'transfer-name', testId: 'transfer-name', text: o.title, attrs: { title: o.title } }),
        el('span', { className: 'transfer-meta', text: `${arrow} · ${formatBytes(o.total)}` }),
      ]),
      this.bar,
      el('div', { className: 'transfer-foot' }, [this.percentText, this.speedText, this.etaText, this.status]),
      this.actions,
    ])
    this.actions.append(button('Cancel', () => o.onCancel(), { testId: 'cancel' }))
    this.setState('active')
  }

  get state(): RowState {
    return this.rowState
  }

  progress(bytes: number): void {
    if (this.rowState !== 'active' || bytes <= this.moved) return
    this.moved = bytes
    this.meter.add(bytes)
    this.status.textContent = this.o.moving
    this.showPercent(percent(bytes, this.o.total))
    const speed = this.meter.bytesPerSecond
    const left = this.meter.secondsLeft(this.o.total)
    this.speedText.textContent = speed ? formatSpeed(speed) : ''
    this.etaText.textContent = left !== undefined && bytes < this.o.total ? `${formatDuration(left)} left` : ''
  }

  /**
   * Finished well: 100 %, with `actions` in place of Cancel (Dismiss when none). `timed` adds the
   * average speed and how long it took.
   */
  succeed(status: string, actions: Node[] = [], timed = true): void {
    if (this.rowState !== 'active') return
    this.moved = this.o.total
    this.meter.add(this.o.total)
    this.showPercent(100)
    const average = this.meter.averageBytesPerSecond()
    this.speedText.textContent = timed && average && this.o.total >= MIN_TIMED_BYTES ? formatSpeed(average) : ''
    this.etaText.textContent = timed ? `in ${formatDuration(this.meter.elapsedSeconds())}` : ''
    this.status.textContent = status
    this.actions.replaceChildren(...(actions.length > 0 ? actions : [this.dismissButton()]))
    this.setState('done')
  }

  fail(reason: string): void {
    if (this.rowState !== 'active') return
    this.speedText.textContent = ''
    this.etaText.textContent = ''
    this.status.textContent = reason
    this.actions.replaceChildren(this.dismissButton())
    this.setState('failed')
  }

  /** Replaces the status text, e.g. when an action on a finished row failed. */
  note(text: string): void {
    this.status.textContent = text
  }

  /** A picture of what arrived, under the row. */
  preview(url: string, alt: string): void {
    this.element.append(el('img', { className: 'preview', testId: 'preview', attrs: { src: url, alt } }))
  }

  private showPercent(value: number): void {
    this.percentText.textContent = `${value}%`
    this.fill.style.width = `${value}%`
    this.bar.setAttribute('aria-valuenow', String(value))
  }

  private dismissButton(): HTMLButtonElement {
    return button('Dismiss', () => this.o.onDismiss(), { className: 'link', testId: 'dismiss' })
  }

  private setState(state: RowState): void {
    this.rowState = state
    this.element.dataset.state = state
  }
}
