/**
 * A peer child for the Ferry side of the relay bench: one `FerryClient` with `transport: 'relay'`, so
 * every frame goes through the signaling server. The sender times `sendFile(path).done` (which resolves
 * on the receiver's end-ack, after it stored and verified the file).
 */
import { unlink } from 'node:fs/promises'
import { FerryClient } from '@ferry/client'
import { nodePlatform } from '@ferry/client/node'
import { RssSampler } from '../measure.js'
import { fileSha256 } from '../payload.js'
import { type PeerProcess, runPeer } from '../peer-process.js'

runPeer(async (peer) => {
  const { config } = peer
  const client = new FerryClient({
    url: config.role === 'receiver' ? (config.receiverUrl ?? config.url) : config.url,
    userId: config.selfId,
    // No WebRTC: a relay-only client never opens a peer connection.
    platform: nodePlatform({ wrtc: undefined, downloadDir: config.workDir }),
    transport: 'relay',
  })
  await client.connect().catch(rethrow('connect'))
  if (config.role === 'sender') await runSender(peer, client)
  else await runReceiver(peer, client)
  await peer.next('close')
  await client.close()
})

async function runSender(peer: PeerProcess, client: FerryClient): Promise<void> {
  const { config } = peer
  await client.sendCmd(config.peerId, 'warmup').done.catch(rethrow('warm-up sendCmd'))
  peer.send({ t: 'linked' })
  await peer.next('start')
  const sampler = new RssSampler()
  sampler.start()
  const started = performance.now()
  await client.sendFile(config.peerId, config.sourcePath).done.catch(rethrow('sendFile'))
  const seconds = (performance.now() - started) / 1000
  peer.send({ t: 'sent', result: { seconds, rssGrowthMiB: sampler.stop(), sha256: null, rttMs: [] } })
}

async function runReceiver(peer: PeerProcess, client: FerryClient): Promise<void> {
  const { config } = peer
  const delivered = new Promise<{ sha256: string; path: string | undefined }>((resolve, reject) => {
    client.on('file', ({ file }) => resolve({ sha256: file.sha256, path: file.path }))
    client.on('receive-failed', (event) => reject(new Error(`Ferry receive failed: ${event.code}`)))
  })
  delivered.catch(() => {})
  peer.send({ t: 'ready' })
  await peer.next('arm')
  const sampler = new RssSampler()
  sampler.start()
  peer.send({ t: 'armed' })
  const { sha256, path } = await delivered
  peer.send({ t: 'received', result: { rssGrowthMiB: sampler.stop() } })
  if (sha256 !== config.expectedSha256) {
    throw new Error(`Ferry delivered a file with SHA-256 ${sha256}, expected ${config.expectedSha256}`)
  }
  if (path === undefined) throw new Error('Ferry delivered a file without a path on the Node platform')
  await peer.next('verify')
  const stored = await fileSha256(path)
  await unlink(path)
  peer.send({ t: 'verified', sha256: stored })
}

/** Turns a Ferry rejection into an error that says which call failed and with which code. */
function rethrow(call: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`Ferry ${call} failed${typeof code === 'string' ? ` (${code})` : ''}: ${message}`)
  }
}
