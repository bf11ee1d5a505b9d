/**
 * Fires `onIdle` once when `touch()` has not been called for `idleMs`. Touching is a timestamp write,
 * cheap enough to do for every chunk; the timer re-arms itself for the time that is left.
 */
export class IdleTimer {
  private last = Date.now()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.arm(idleMs)
  }

  touch(): void {
    this.last = Date.now()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const left = this.idleMs - (Date.now() - this.last)
      if (left > 0) this.arm(left)
      else {
        this.timer = undefined
        this.onIdle()
      }
    }, ms)
  }
}
