/**
 * A signaling server in a process of its own, so a test can watch its memory apart from the clients'.
 * Run with `fork`: it sends `{ url }` once listening; on `baseline` it starts sampling
 * `process.memoryUsage()` every MEMORY_SAMPLE_MS, and on `report` it sends the peak growth since then.
 * It runs with `--expose-gc` and collects garbage before each sample.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createSignalingServer, type SignalingServerOptions } from '../src/index.js'

/**
 * Short enough to catch a queue that builds up and drains within a fraction of a second. Each sample
 * collects garbage first, so it counts what the server holds, not frames it already passed on.
 */
const MEMORY_SAMPLE_MS = 25

export interface MemoryGrowth {
  rssBytes: number
  /** Buffers and other ArrayBuffer memory: where frames waiting for a slow receiver live. */
  arrayBuffersBytes: number
}

type ChildMessage = { t: 'url'; url: string } | { t: 'growth'; growth: MemoryGrowth }

export interface ServerProcess {
  url: string
  baseline(): void
  report(): Promise<MemoryGrowth>
  close(): void
}

/** Starts the server child; `t.after` kills it. */
export async function startServerProcess(
  t: { after(fn: () => void): void },
  options: Partial<SignalingServerOptions> = {},
): Promise<ServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const close = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  t.after(close)
  const next = <T extends ChildMessage['t']>(t: T): Promise<Extract<ChildMessage, { t: T }>> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: ChildMessage): void => {
        if (message.t !== t) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(message as Extract<ChildMessage, { t: T }>)
      }
      const onExit = (): void => reject(new Error('the server process exited'))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const { url } = await next('url')
  return {
    url,
    baseline: () => child.send('baseline'),
    report: async () => {
      const answer = next('growth')
      child.send('report')
      return (await answer).growth
    },
    close,
  }
}

async function serve(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Partial<SignalingServerOptions>
  const server = await createSignalingServer({ port: 0, host: '127.0.0.1', ...options })
  let base = process.memoryUsage()
  let peak = { rssBytes: 0, arrayBuffersBytes: 0 }
  let timer: NodeJS.Timeout | undefined
  const sample = (): void => {
    globalThis.gc?.()
    const now = process.memoryUsage()
    peak = {
      rssBytes: Math.max(peak.rssBytes, now.rss - base.rss),
      arrayBuffersBytes: Math.max(peak.arrayBuffersBytes, now.arrayBuffers - base.arrayBuffers),
    }
  }
  process.on('message', (message) => {
    if (message === 'baseline') {
      globalThis.gc?.()
      base = process.memoryUsage()
      peak = { rssBytes: 0, arrayBuffersBytes: 0 }
      clearInterval(timer)
      timer = setInterval(sample, MEMORY_SAMPLE_MS)
    } else if (message === 'report') {
      sample()
      clearInterval(timer)
      process.send?.({ t: 'growth', growth: peak } satisfies ChildMessage)
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.send?.({ t: 'url', url: server.url } satisfies ChildMessage)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void serve()
