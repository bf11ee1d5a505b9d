import { type FerryError, MEDIA_TASK_ID_BASE } from '@ferry/protocol'
import type { OutgoingTransfer } from './outgoing-transfer.js'
import type { PeerLink } from './peer-link.js'
import type { Task, TaskKind, TaskResult } from './types.js'

/** How many ended task ids are remembered, so `cancelSend` can answer `already-finished`. */
const FINISHED_IDS_KEPT = 4096

/** The largest id of a cmd, message or transfer; ids wrap around after it. Media requests use the ids above. */
const MAX_WIRE_ID = MEDIA_TASK_ID_BASE - 1

export interface OutgoingTask {
  readonly wireId: number
  readonly kind: TaskKind
  readonly task: Task
  link?: PeerLink
  transfer?: OutgoingTransfer
  fileName?: string
  /** Cmds: the link generation their frame went out on (see `PeerLink.generation`). */
  sentGeneration?: number
  ended: boolean
  /** Undoes what the task set up (timers, signal listeners). */
  stop?: () => void
  settleWith(result: TaskResult): void
}

/** The sender's running tasks by id, and the ids of recently ended ones. */
export class TaskTable {
  private next = 1
  private readonly live = new Map<number, OutgoingTask>()
  private readonly finished = new Set<number>()

  create(kind: TaskKind, to: string, cookie: unknown, onResult: (result: TaskResult) => void): OutgoingTask {
    const wireId = this.allocate()
    let resolve!: (result: TaskResult) => void
    let reject!: (error: FerryError) => void
    const done = new Promise<TaskResult>((res, rej) => {
      resolve = res
      reject = rej
    })
    // Callers who only listen to events never await `done`: do not let its rejection go unhandled.
    done.catch(() => {})
    const entry: OutgoingTask = {
      wireId,
      kind,
      task: { id: String(wireId), kind, to, cookie, done },
      ended: false,
      settleWith: (result) => {
        onResult(result)
        if (result.error) reject(result.error)
        else resolve(result)
      },
    }
    this.live.set(wireId, entry)
    return entry
  }

  find(taskId: string): OutgoingTask | undefined {
    return this.live.get(Number(taskId))
  }

  /** The task with this wire id, if it runs over `link` (a peer can only speak of its own tasks). */
  findOnLink(link: PeerLink, wireId: number): OutgoingTask | undefined {
    const entry = this.live.get(wireId)
    return entry?.link === link ? entry : undefined
  }

  onLink(link: PeerLink): OutgoingTask[] {
    return [...this.live.values()].filter((entry) => entry.link === link)
  }

  all(): OutgoingTask[] {
    return [...this.live.values()]
  }

  wasFinished(taskId: string): boolean {
    return this.finished.has(Number(taskId))
  }

  /** Ends a task once: success without `error`. Emits the result and settles `done`. */
  settle(entry: OutgoingTask, error?: FerryError): void {
    if (entry.ended) return
    entry.ended = true
    entry.stop?.()
    this.live.delete(entry.wireId)
    this.finished.add(entry.wireId)
    if (this.finished.size > FINISHED_IDS_KEPT) {
      const oldest = this.finished.values().next().value
      if (oldest !== undefined) this.finished.delete(oldest)
    }
    const { id, kind, to, cookie } = entry.task
    const result: TaskResult = { taskId: id, kind, to, cookie }
    if (error) result.error = error
    if (entry.fileName !== undefined) result.fileName = entry.fileName
    entry.settleWith(result)
  }

  /** Fails a task on the next tick, so the caller has its task id (and listeners) before the result. */
  failSoon(entry: OutgoingTask, error: FerryError): Task {
    queueMicrotask(() => this.settle(entry, error))
    return entry.task
  }

  private allocate(): number {
    do {
      this.next = this.next >= MAX_WIRE_ID ? 1 : this.next + 1
    } while (this.live.has(this.next))
    return this.next
  }
}
