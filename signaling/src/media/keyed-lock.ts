/**
 * Runs async tasks one at a time per key, in the order they were handed in; tasks on different keys
 * run side by side. The media store takes one per media id around every read-modify-write of its
 * files, so two requests on one media never interleave. Forgets a key once its last task settled.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const result = previous.then(task)
    const tail = result.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return result
  }
}
