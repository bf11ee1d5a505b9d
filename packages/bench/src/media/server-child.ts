/**
 * One media server in a process of its own, so its RSS is its own: either Ferry's signaling server with
 * its media store, or the raw baseline's bare HTTP server. Speaks the relay bench's signaling child
 * protocol: sends `listening` with its URL; on `baseline` starts sampling RSS, on `report` sends the
 * peak growth since then; on `close` (or when the orchestrator goes) it closes and exits.
 */
import { createSignalingServer } from '@ferry/signaling'
import { RssSampler } from '../measure.js'
import type { SignalingReport, SignalingRequest } from '../relay/signaling-ipc.js'
import { startRawMediaServer } from './raw-media-server.js'
import type { MediaServerConfig } from './server-process.js'

const send = (message: SignalingReport): void => {
  process.send?.(message)
}

async function start(config: MediaServerConfig): Promise<{ url: string; close(): Promise<void> }> {
  if (config.kind === 'raw') return startRawMediaServer(config.dir)
  // The store in a temporary directory of its own (the default), taking media as large as the bench's.
  return createSignalingServer({ port: 0, host: '127.0.0.1', media: { maxBytes: config.maxBytes } })
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as MediaServerConfig
  const server = await start(config)
  let sampler: RssSampler | undefined
  const close = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('message', (raw) => {
    const message = raw as SignalingRequest
    if (message.t === 'baseline') {
      sampler?.stop()
      sampler = new RssSampler()
      sampler.start()
    } else if (message.t === 'report') {
      send({ t: 'rss', growthMiB: sampler?.stop() ?? 0 })
      sampler = undefined
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
