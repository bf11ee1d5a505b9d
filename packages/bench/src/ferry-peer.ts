/** A peer child for the Ferry side: one `FerryClient` on the Node platform, logged in to the bench's signaling server. */
import { unlink } from 'node:fs/promises'
import { FerryClient } from '@ferry/client'
import { nodePlatform } from '@ferry/client/node'
import wrtc from '@roamhq/wrtc'
import { RssSampler } from './measure.js'
import { fileSha256, seededBuffer, sha256Hex } from './payload.js'
import { type PeerProcess, runPeer } from './peer-process.js'
import { CMD_BYTES } from './raw-channel.js'

runPeer(async (peer) => {
  const { config } = peer
  // Allocated and filled before anything else, so the sender's RSS baseline already includes it.
  const source =
    config.role === 'sender' && config.benchCase === 'buffer' ? seededBuffer(config.sizeBytes, config.seed) : undefined
  const client = new FerryClient({
    url: config.url,
    userId: config.selfId,
    platform: nodePlatform({ wrtc, downloadDir: config.workDir }),
  })
  await client.connect().catch(rethrow('connect'))
  if (config.role === 'sender') await runSender(peer, client, source)
  else await runReceiver(peer, client)
  await peer.next('close')
  await client.close()
})

async function runSender(peer: PeerProcess, client: FerryClient, source: Uint8Array | undefined): Promise<void> {
  const { config } = peer
  const to = config.peerId
  await client.sendCmd(to, 'warmup').done.catch(rethrow('warm-up sendCmd'))
  peer.send({ t: 'linked' })
  await peer.next('start')
  if (config.benchCase === 'cmd') {
    const ping = new Uint8Array(CMD_BYTES).map((_, i) => i)
    const rttMs: number[] = []
    for (let i = 0; i < config.cmdWarmup + config.cmdCount; i++) {
      const started = performance.now()
      await client.sendCmd(to, ping).done.catch(rethrow(`sendCmd ${i + 1}`))
      if (i >= config.cmdWarmup) rttMs.push(performance.now() - started)
    }
    peer.send({ t: 'sent', result: { seconds: 0, rssGrowthMiB: 0, sha256: null, rttMs } })
    return
  }
  const sampler = new RssSampler()
  sampler.start()
  const started = performance.now()
  if (source) await client.sendBuffer(to, source).done.catch(rethrow('sendBuffer'))
  else await client.sendFile(to, config.sourcePath).done.catch(rethrow('sendFile'))
  const seconds = (performance.now() - started) / 1000
  const rssGrowthMiB = sampler.stop()
  // Ferry verified the SHA-256 itself before resolving; the receiver re-hashes what it stored below.
  peer.send({ t: 'sent', result: { seconds, rssGrowthMiB, sha256: null, rttMs: [] } })
}

interface Delivery {
  sha256: string
  data?: Uint8Array
  path?: string
}

async function runReceiver(peer: PeerProcess, client: FerryClient): Promise<void> {
  const { config } = peer
  const delivered = new Promise<Delivery>((resolve, reject) => {
    client.on('buffer', (event) => resolve({ sha256: event.sha256, data: event.data }))
    client.on('file', (event) => {
      const { sha256, path } = event.file
      resolve(path === undefined ? { sha256 } : { sha256, path })
    })
    client.on('receive-failed', (event) => reject(new Error(`Ferry receive failed: ${event.code}`)))
  })
  delivered.catch(() => {})
  peer.send({ t: 'ready' })
  await peer.next('arm')
  if (config.benchCase === 'cmd') {
    peer.send({ t: 'armed' })
    return
  }
  const sampler = new RssSampler()
  sampler.start()
  peer.send({ t: 'armed' })
  const delivery = await delivered
  peer.send({ t: 'received', result: { rssGrowthMiB: sampler.stop() } })
  if (delivery.sha256 !== config.expectedSha256) {
    throw new Error(
      `Ferry delivered a ${config.benchCase} with SHA-256 ${delivery.sha256}, expected ${config.expectedSha256}`,
    )
  }
  await peer.next('verify')
  let sha256: string
  if (delivery.data) {
    sha256 = sha256Hex(delivery.data)
  } else if (delivery.path) {
    sha256 = await fileSha256(delivery.path)
    await unlink(delivery.path)
  } else {
    throw new Error('Ferry delivered a file without a path on the Node platform')
  }
  peer.send({ t: 'verified', sha256 })
}

/** Turns a Ferry rejection into an error that says which call failed and with which code. */
function rethrow(call: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`Ferry ${call} failed${typeof code === 'string' ? ` (${code})` : ''}: ${message}`)
  }
}
