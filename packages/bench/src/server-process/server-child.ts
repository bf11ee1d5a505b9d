/**
 * One server in a process of its own, so its RSS is its own. Started by `ServerProcess` with two
 * arguments: the URL of a module exporting `startServer` (a `ServerModule`) and the config for it, as
 * JSON. Sends `listening` with the server's URL; on `baseline` starts sampling RSS, on `report` sends
 * the peak growth since then; on `stats` sends what the server's own `stats()` says (after a full GC
 * if asked and the child runs with `--expose-gc`); on `close` (or when the orchestrator goes) it closes
 * and exits.
 */
import { RssSampler } from '../measure.js'
import type { ServerModule, ServerReport, ServerRequest } from './server-ipc.js'

const send = (message: ServerReport): void => {
  process.send?.(message)
}

async function main(): Promise<void> {
  const [moduleUrl, configJson] = process.argv.slice(2)
  if (!moduleUrl) throw new Error('no server module given')
  const { startServer } = (await import(moduleUrl)) as ServerModule
  const server = await startServer(JSON.parse(configJson ?? 'null'))
  let sampler: RssSampler | undefined
  const close = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('message', (raw) => {
    const message = raw as ServerRequest
    if (message.t === 'baseline') {
      sampler?.stop()
      sampler = new RssSampler()
      sampler.start()
    } else if (message.t === 'report') {
      send({ t: 'rss', growthMiB: sampler?.stop() ?? 0 })
      sampler = undefined
    } else if (message.t === 'stats') {
      if (message.collectGarbage) globalThis.gc?.()
      send({ t: 'stats', stats: server.stats?.() ?? null })
    } else if (message.t === 'close') {
      close()
    }
  })
  process.on('disconnect', close)
  send({ t: 'listening', url: server.url })
}

main().catch((error: unknown) => {
  send({ t: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  process.exit(1)
})
