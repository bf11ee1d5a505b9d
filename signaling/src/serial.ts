/**
 * Runs async tasks one after another, in the order they were handed in. A socket's signaling requests
 * go through one of these so an offer is always forwarded before the ICE candidates sent after it,
 * however long each session-store lookup takes.
 */
export type SerialRunner = <T>(task: () => Promise<T>) => Promise<T>

export function createSerialRunner(): SerialRunner {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task)
    tail = run.catch(() => undefined)
    return run
  }
}
