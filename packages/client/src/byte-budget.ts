/**
 * A number of bytes shared by several holders: each takes what it uses and gives it back when done.
 * Incoming buffers share one across all peers, so together they never hold more than the limit.
 */
export class ByteBudget {
  private used = 0

  constructor(readonly limit: number) {}

  /** Bytes taken now. */
  get taken(): number {
    return this.used
  }

  /** Takes `bytes` if they fit; false (and nothing taken) when they would go over the limit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false
    this.used += bytes
    return true
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes)
  }
}
