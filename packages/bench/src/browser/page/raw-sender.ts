import { HIGH_WATER_BYTES, LOW_WATER_BYTES } from '@ferry/protocol'
import type { SendOutcome } from './page-api.js'
import {
  channelOpen,
  describeWithCandidates,
  RAW_CHANNEL_LABEL,
  RAW_DONE_PREFIX,
  rawPeerConnection,
} from './raw-connection.js'
import { createSha256 } from './sha256-hasher.js'

/** Chunk size of the ideal sender: Chromium's SCTP max message size, as Ferry's default frame. */
const RAW_CHUNK_BYTES = 256 * 1024

/** Blob reads kept in flight ahead of the channel (Ferry's sender reads ahead too), so a slow read never idles it. */
const RAW_READ_AHEAD_CHUNKS = 4

/**
 * The raw baseline's sender: one ordered RTCDataChannel and an ideal sender. It reads the Blob in
 * 256 KiB slices, sends while `bufferedAmount` is under Ferry's HIGH_WATER_BYTES and otherwise waits
 * for `bufferedamountlow` (threshold LOW_WATER_BYTES), with the same marks as Ferry for fairness.
 * Like Ferry's sender, it hashes every chunk with the same incremental SHA-256 as it reads (unless told
 * not to: the unhashed run shows what hashing on the main thread costs).
 */
export class RawSender {
  private readonly pc = rawPeerConnection()
  private readonly channel = this.pc.createDataChannel(RAW_CHANNEL_LABEL, { ordered: true })

  constructor() {
    this.channel.binaryType = 'arraybuffer'
    this.channel.bufferedAmountLowThreshold = LOW_WATER_BYTES
  }

  offer(): Promise<RTCSessionDescriptionInit> {
    return describeWithCandidates(this.pc)
  }

  async accept(answer: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(answer)
    await channelOpen(this.channel)
  }

  /** Sends `blob`; resolves when the receiver answered that it has every byte. */
  async send(blob: Blob, hashed: boolean): Promise<SendOutcome> {
    const channel = this.channel
    const maxMessage = this.pc.sctp?.maxMessageSize || RAW_CHUNK_BYTES
    const chunkBytes = Math.min(RAW_CHUNK_BYTES, maxMessage)
    const hash = await createSha256()
    const receiverDone = new Promise<string>((resolve, reject) => {
      channel.onmessage = (event) => {
        if (typeof event.data === 'string' && event.data.startsWith(RAW_DONE_PREFIX)) {
          resolve(event.data.slice(RAW_DONE_PREFIX.length))
        }
      }
      channel.onclose = () => reject(new Error('the raw channel closed during the transfer'))
    })
    receiverDone.catch(() => {})
    const reads: Promise<ArrayBuffer>[] = []
    let readAt = 0
    const readAhead = () => {
      while (reads.length < RAW_READ_AHEAD_CHUNKS && readAt < blob.size) {
        reads.push(blob.slice(readAt, readAt + chunkBytes).arrayBuffer())
        readAt = Math.min(blob.size, readAt + chunkBytes)
      }
    }
    const started = performance.now()
    readAhead()
    while (reads.length > 0) {
      const chunk = await reads.shift()!
      readAhead()
      if (hashed) hash.update(new Uint8Array(chunk))
      if (channel.bufferedAmount >= HIGH_WATER_BYTES) await lowWater(channel)
      channel.send(chunk)
    }
    const sent = hashed ? hash.digest('hex') : ''
    const confirmed = await receiverDone
    const seconds = (performance.now() - started) / 1000
    if (confirmed !== sent) throw new Error(`raw receiver hashed ${confirmed}, the sender ${sent}`)
    return { seconds }
  }
}

/** Resolves at the channel's next `bufferedamountlow`; rejects if it closes first. */
function lowWater(channel: RTCDataChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    const onLow = () => {
      channel.removeEventListener('close', onClose)
      resolve()
    }
    const onClose = () => {
      channel.removeEventListener('bufferedamountlow', onLow)
      reject(new Error('the raw channel closed while the sender waited for room'))
    }
    channel.addEventListener('bufferedamountlow', onLow, { once: true })
    channel.addEventListener('close', onClose, { once: true })
  })
}
