/**
 * The signaling server in a process of its own, so its RSS is its own: the relay's memory cost is what
 * the bench reports. Sends `listening` with its URL; on `baseline` starts sampling RSS, on `report`
 * sends the peak growth since then; on `close` (or when the orchestrator goes) it closes and exits.
 */
import { createSignalingServer } from '@ferry/signaling'
import { RssSampler } from '../measure.js'
import { BENCH_RELAY_BYTES_PER_SECOND, type SignalingReport, type SignalingRequest } from './signaling-ipc.js'

const send = (message: SignalingReport): void => {
  process.send?.(message)
}

async function main(): Promise<void> {
  const server = await createSignalingServer({ port: 0, relayBytesPerSecond: BENCH_RELAY_BYTES_PER_SECOND })
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
