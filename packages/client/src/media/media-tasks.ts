import { ACK_EVERY_MS, FerryError } from '@ferry/protocol'
import { IdleTimer } from '../idle-timer.js'
import type { CancelResult } from '../types.js'
import { abortReason } from './abort.js'
import type { MediaDirection, MediaEvents, MediaSourceKind, MediaTask } from './media-types.js'

/** How many ended media task ids are remembered, so `cancelMedia` can answer `already-finished`. */
const FINISHED_IDS_KEPT = 1024

/** What a task's work gets: a signal that aborts it (cancel, idle timeout, logout), and progress to report. */
export interface TaskContext {
  signal: AbortSignal
  /** Reports progress; every call counts as traffic for the idle timeout. */
  progress(transferred: number, total: number): void
  /** The work moved on to another source: the idle timeout counts from now, not from the last one's last byte. */
  keepAlive(): void
  /** Downloads: where the bytes came from. */
  source?: MediaSourceKind
}

export interface MediaTaskOptions {
  maxTasks: number
  /** When the limit is reached: false fails the new task with `too-many-tasks`; true makes it wait its turn. */
  queue: boolean
  idleTimeoutMs: number
  emit<K extends keyof MediaEvents>(type: K, event: MediaEvents[K]): void
}

interface Running {
  controller: AbortController
}

/**
 * Runs uploads and downloads as tasks: ids, the concurrency limit (Agora: 9 at once), the idle timeout,
 * progress events (at most every 1 % or ACK_EVERY_MS, and at the total), cancel, and one result event each.
 */
export class MediaTasks {
  private next = 0
  private running = 0
  private readonly waiting: (() => void)[] = []
  private readonly live = new Map<string, Running>()
  private readonly finished = new Set<string>()

  constructor(private readonly o: MediaTaskOptions) {}

  start<T>(
    direction: MediaDirection,
    mediaId: string,
    cookie: unknown,
    signal: AbortSignal | undefined,
    work: (context: TaskContext) => Promise<T>,
  ): MediaTask<T> {
    const id = `m${++this.next}`
    const controller = new AbortController()
    this.live.set(id, { controller })
    const context: TaskContext = { signal: controller.signal, progress: () => {}, keepAlive: () => {} }
    const done = this.run(id, controller, signal, context, work)
    const finish = (error?: FerryError) => {
      this.live.delete(id)
      this.remember(id)
      const event: MediaEvents['media-result'] = { taskId: id, direction, mediaId, cookie }
      if (error) event.error = error
      if (context.source) event.source = context.source
      this.o.emit('media-result', event)
    }
    // The result event comes before `done` settles, as for every Ferry task.
    const settled = done.then(
      (value) => {
        finish()
        return value
      },
      (err: unknown) => {
        const error = err instanceof FerryError ? err : new FerryError('unknown', String(err))
        finish(error)
        throw error
      },
    )
    settled.catch(() => {})
    let reported = -1
    let reportedAt = 0
    context.progress = (transferred, total) => {
      const now = Date.now()
      const step = Math.max(1, Math.ceil(total / 100))
      if (transferred !== total && transferred - reported < step && now - reportedAt < ACK_EVERY_MS) return
      if (transferred === reported) return
      reported = transferred
      reportedAt = now
      this.o.emit('media-progress', { taskId: id, direction, mediaId, transferred, total, cookie })
    }
    return { id, direction, mediaId, cookie, done: settled }
  }

  cancel(taskId: string): CancelResult {
    const entry = this.live.get(taskId)
    if (!entry) return this.finished.has(taskId) ? 'already-finished' : 'unknown-task'
    entry.controller.abort(new FerryError('cancelled', 'cancelled'))
    return 'ok'
  }

  /** Ends every task with `error` (the client was closed). */
  abortAll(error: FerryError): void {
    for (const entry of this.live.values()) entry.controller.abort(error)
    for (const wake of this.waiting.splice(0)) wake()
  }

  private async run<T>(
    id: string,
    controller: AbortController,
    external: AbortSignal | undefined,
    context: TaskContext,
    work: (context: TaskContext) => Promise<T>,
  ): Promise<T> {
    // Let the caller hold the task (and hook its events) before anything settles.
    await Promise.resolve()
    if (external?.aborted) throw new FerryError('cancelled', 'the signal was already aborted')
    const onAbort = () => this.cancel(id)
    external?.addEventListener('abort', onAbort, { once: true })
    try {
      await this.takeSlot(controller.signal)
      try {
        const idle = new IdleTimer(this.o.idleTimeoutMs, () =>
          controller.abort(new FerryError('idle-timeout', `no progress for ${this.o.idleTimeoutMs} ms`)),
        )
        const watched: TaskContext = {
          signal: controller.signal,
          progress: (transferred, total) => {
            idle.touch()
            context.progress(transferred, total)
          },
          keepAlive: () => idle.touch(),
        }
        try {
          return await settleAfterAbort(work(watched), controller.signal)
        } finally {
          if (watched.source) context.source = watched.source
          idle.stop()
        }
      } finally {
        this.releaseSlot()
      }
    } finally {
      external?.removeEventListener('abort', onAbort)
    }
  }

  private async takeSlot(signal: AbortSignal): Promise<void> {
    if (this.running < this.o.maxTasks) {
      this.running++
      return
    }
    if (!this.o.queue) {
      throw new FerryError('too-many-tasks', `${this.o.maxTasks} media tasks are running (the limit)`)
    }
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener('abort', onAbort)
        if (signal.aborted) reject(abortReason(signal))
        else resolve()
      }
      const onAbort = () => {
        const at = this.waiting.indexOf(wake)
        if (at >= 0) this.waiting.splice(at, 1)
        reject(abortReason(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(wake)
    })
    this.running++
  }

  private releaseSlot(): void {
    this.running--
    this.waiting.shift()?.()
  }

  private remember(id: string): void {
    this.finished.add(id)
    if (this.finished.size > FINISHED_IDS_KEPT) {
      const oldest = this.finished.values().next().value
      if (oldest !== undefined) this.finished.delete(oldest)
    }
  }
}

/**
 * The work's own outcome, with an abort's reason in place of whatever error the abort caused in it
 * (a fetch's AbortError, a peer's `cancelled` echo). Work stops at the abort and cleans up before it
 * settles, so nothing of a cancelled task is left when `done` rejects.
 */
async function settleAfterAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (signal.aborted) throw abortReason(signal)
    throw err
  }
}
