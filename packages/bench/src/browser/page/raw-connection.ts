/** Label of the raw baseline's one data channel. */
export const RAW_CHANNEL_LABEL = 'raw'

/** The receiver's answer after the last byte: this prefix, then the SHA-256 (hex) it computed. */
export const RAW_DONE_PREFIX = 'done '

/** A peer connection with no ICE servers: host candidates only (127.0.0.1 in the bench's namespace). */
export function rawPeerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({ iceServers: [] })
}

/**
 * Sets the local description and waits for ICE gathering to finish, so one offer and one answer carry
 * every candidate: no trickle messages to route through the orchestrator.
 */
export async function describeWithCandidates(pc: RTCPeerConnection): Promise<RTCSessionDescriptionInit> {
  await pc.setLocalDescription()
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      const check = () => {
        if (pc.iceGatheringState !== 'complete') return
        pc.removeEventListener('icegatheringstatechange', check)
        resolve()
      }
      pc.addEventListener('icegatheringstatechange', check)
    })
  }
  return pc.localDescription!.toJSON()
}

/** Resolves when the channel is open; rejects if it closes first. */
export function channelOpen(channel: RTCDataChannel): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve()
  return new Promise((resolve, reject) => {
    channel.addEventListener('open', () => resolve(), { once: true })
    channel.addEventListener('close', () => reject(new Error('the raw channel closed before it opened')), {
      once: true,
    })
  })
}
