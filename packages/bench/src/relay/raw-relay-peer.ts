/**
 * A peer child for the raw baseline of the relay bench: a bare Socket.IO client that streams the file
 * as binary `relay:frame` events through the same server, with an ideal sender and the same window
 * and acks Ferry uses (the server enforces them on everyone). See `raw-relay-sender.ts`.
 */
import { unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { RssSampler } from '../measure.js'
import { fileSha256 } from '../payload.js'
import { type PeerProcess, runPeer } from '../peer-process.js'
import { startRawReceiver } from './raw-relay-receiver.js'
import { sendRawFile, warmUpRaw } from './raw-relay-sender.js'
import { connectRaw, type RawRelaySocket } from './raw-relay-socket.js'

runPeer(async (peer) => {
  const { config } = peer
  const socket = await connectRaw(config.url, config.selfId)
  if (config.role === 'sender') await runSender(peer, socket)
  else await runReceiver(peer, socket)
  await peer.next('close')
  socket.close()
})

async function runSender(peer: PeerProcess, socket: RawRelaySocket): Promise<void> {
  const { config } = peer
  await warmUpRaw(socket, config.peerId)
  peer.send({ t: 'linked' })
  await peer.next('start')
  const sampler = new RssSampler()
  sampler.start()
  const { seconds, sha256 } = await sendRawFile(socket, config.peerId, config.sourcePath, config.sizeBytes)
  peer.send({ t: 'sent', result: { seconds, rssGrowthMiB: sampler.stop(), sha256, rttMs: [] } })
}

async function runReceiver(peer: PeerProcess, socket: RawRelaySocket): Promise<void> {
  const { config } = peer
  const path = join(config.workDir, 'raw-received.bin')
  const { done } = await startRawReceiver(socket, config.peerId, path, config.sizeBytes)
  peer.send({ t: 'ready' })
  await peer.next('arm')
  const sampler = new RssSampler()
  sampler.start()
  peer.send({ t: 'armed' })
  await done
  peer.send({ t: 'received', result: { rssGrowthMiB: sampler.stop() } })
  await peer.next('verify')
  const stored = await fileSha256(path)
  await unlink(path)
  peer.send({ t: 'verified', sha256: stored })
}
