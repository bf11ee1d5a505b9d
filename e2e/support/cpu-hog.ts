import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

/**
 * A spinning thread gives up by itself this long after it started, even if nobody stops it: longer
 * than any test (the timeout is 60 s), short enough that a test process stuck in its teardown does not
 * keep a CI machine's cores busy for long. A thread also dies with its process, whatever happens.
 */
const HOG_LIFETIME_MS = 5 * 60_000

/**
 * One busy thread: says it is spinning, then computes until its deadline. It checks the clock every
 * round of a few microseconds' arithmetic, so it never sleeps and never waits on its event loop.
 */
const SPIN_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
parentPort.postMessage('spinning')
let x = 1
while (Date.now() < workerData.deadline) {
  for (let i = 0; i < 10000; i++) x = (x * 31 + i) | 0
}
parentPort.postMessage(x)
`

/** Threads keeping every core busy while a test runs. */
export interface CpuHog {
  /** How many threads spin: one per core. */
  readonly threads: number
  /** Stops every thread; resolves once they are gone. */
  stop(): Promise<void>
}

/**
 * Starts one spinning worker thread per core (`os.availableParallelism()`), and resolves once every one
 * of them is spinning, so what comes next runs on a machine with no idle core.
 */
export async function startCpuHog(): Promise<CpuHog> {
  const deadline = Date.now() + HOG_LIFETIME_MS
  const workers = Array.from(
    { length: availableParallelism() },
    () => new Worker(SPIN_SOURCE, { eval: true, workerData: { deadline } }),
  )
  const stop = async () => {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
  try {
    await Promise.all(workers.map(spinning))
  } catch (error) {
    await stop()
    throw error
  }
  return { threads: workers.length, stop }
}

/** Resolves at the thread's first message, which it sends when it starts spinning. */
function spinning(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`a CPU hog thread exited with code ${code} before spinning`)))
  })
}
