import { describeError } from '../../describe-error.js'
import type { Logger } from '../../logger.js'
import type { LmdbDedupeStore } from './lmdb-dedupe-store.js'
import type { LmdbInboxStore } from './lmdb-inbox-store.js'

/** Records one sweep transaction removes or users it visits, at most: short transactions keep the event loop free. */
const SWEEP_BATCH = 256

/**
 * Removes expired dedupe records and inbox entries every `everyMs`, so what users who never come back
 * were sent does not stay on disk. Its timer does not keep the process alive.
 */
export class StateSweeper {
  readonly #timer: NodeJS.Timeout
  #running: Promise<void> | undefined

  constructor(
    private readonly stores: { dedupe: LmdbDedupeStore; inbox: LmdbInboxStore },
    everyMs: number,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep()
        .catch((error: unknown) => this.logger.warn(`state sweep failed: ${describeError(error)}`))
        .finally(() => {
          this.#running = undefined
        })
    }, everyMs)
    this.#timer.unref()
  }

  /** One full pass over both stores. */
  async sweep(): Promise<void> {
    while ((await this.stores.dedupe.sweep(SWEEP_BATCH)) === SWEEP_BATCH) {}
    let after: string[] | undefined
    do after = await this.stores.inbox.sweep(this.now(), after, SWEEP_BATCH)
    while (after !== undefined)
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#running
  }
}
