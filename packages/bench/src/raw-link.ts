import wrtc from '@roamhq/wrtc'
import type { PeerProcess } from './peer-process.js'

/** Host candidates on loopback gather in milliseconds; this only catches a broken stack. */
const GATHER_TIMEOUT_MS = 10_000

export interface RawLink {
  pc: RTCPeerConnection
  channel: RTCDataChannel
}

/**
 * One peer connection with one ordered, reliable data channel (binaryType 'arraybuffer'), negotiated
 * through the orchestrator: the sender offers, the receiver answers, each SDP carrying all candidates
 * (no trickle). Resolves once the channel is open on this side.
 */
export async function openRawLink(peer: PeerProcess): Promise<RawLink> {
  const pc: RTCPeerConnection = new wrtc.RTCPeerConnection({ iceServers: [] })
  if (peer.config.role === 'sender') {
    const channel = pc.createDataChannel('bench', { ordered: true })
    channel.binaryType = 'arraybuffer'
    await pc.setLocalDescription(await pc.createOffer())
    await gathered(pc)
    peer.send({ t: 'signal', data: plainDescription(pc) })
    const answer = await peer.next('signal')
    await pc.setRemoteDescription(answer.data as RTCSessionDescriptionInit)
    await opened(channel)
    return { pc, channel }
  }
  const incoming = new Promise<RTCDataChannel>((resolve) => {
    pc.ondatachannel = (event) => resolve(event.channel)
  })
  const offer = await peer.next('signal')
  await pc.setRemoteDescription(offer.data as RTCSessionDescriptionInit)
  await pc.setLocalDescription(await pc.createAnswer())
  await gathered(pc)
  peer.send({ t: 'signal', data: plainDescription(pc) })
  const channel = await incoming
  channel.binaryType = 'arraybuffer'
  await opened(channel)
  return { pc, channel }
}

function plainDescription(pc: RTCPeerConnection): RTCSessionDescriptionInit {
  const description = pc.localDescription
  if (!description) throw new Error('no local description after setLocalDescription')
  return { type: description.type, sdp: description.sdp }
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ICE gathering did not complete')), GATHER_TIMEOUT_MS)
    const check = (): void => {
      if (pc.iceGatheringState !== 'complete') return
      clearTimeout(timer)
      resolve()
    }
    pc.onicegatheringstatechange = check
    pc.onicecandidate = (event) => {
      if (event.candidate) return
      clearTimeout(timer)
      resolve()
    }
    check()
  })
}

function opened(channel: RTCDataChannel): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve()
  return new Promise((resolve, reject) => {
    channel.onopen = () => resolve()
    channel.onerror = () => reject(new Error('raw data channel failed to open'))
    channel.onclose = () => reject(new Error('raw data channel closed before it opened'))
  })
}
