/** A test clock: `now()` is what the store reads, `advance` moves it on. */
export interface TestClock {
  now(): number
  advance(ms: number): void
}

/** What a contract needs of a test: a way to clean up after it. */
export interface Cleanup {
  after(fn: () => Promise<void> | void): void
}

/**
 * Makes a fresh, empty store for one test, reading time from `clock`; whatever it opened is released
 * through `t.after`. Each implementation (memory, file, Redis) passes one to every contract.
 */
export type StoreFactory<T> = (t: Cleanup, clock: TestClock) => Promise<T>

/** A clock that starts at a fixed time and moves only when told. */
export function testClock(start = 1_700_000_000_000): TestClock {
  let now = start
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    },
  }
}
