/** The `capacity` most recently used keys: past it, the least recent is forgotten. */
export class RecentKeys {
  /** Least recent first (a Set keeps insertion order). */
  private readonly keys = new Set<string>()

  constructor(private readonly capacity: number) {}

  /** Whether `key` is remembered; a hit makes it the most recent. */
  has(key: string): boolean {
    if (!this.keys.delete(key)) return false
    this.keys.add(key)
    return true
  }

  add(key: string): void {
    this.keys.delete(key)
    this.keys.add(key)
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value!)
  }
}
