import type { IHasher } from 'hash-wasm'
import type { ReceivedInfo } from './page-api.js'
import { channelOpen, describeWithCandidates, RAW_DONE_PREFIX, rawPeerConnection } from './raw-connection.js'
import { createSha256 } from './sha256-hasher.js'

/**
 * The raw baseline's receiver. It does what a careful application has to: hashes each chunk as it
 * arrives with the same incremental SHA-256 as Ferry (Ferry verifies every transfer, so the baseline
 * pays for it too), stores each chunk as a Blob part (out of the JS heap), builds the Blob after the
 * last byte and then answers 'done' with its hash. Unhashed, it answers 'done' with an empty hash.
 */
export class RawReceiver {
  private readonly pc = rawPeerConnection()
  private readonly channel: Promise<RTCDataChannel>
  private readonly done: Promise<{ info: ReceivedInfo; blob: Blob }>
  private hash: IHasher | undefined

  constructor(
    private readonly size: number,
    private readonly hashed: boolean,
  ) {
    this.channel = new Promise((resolve) => {
      this.pc.addEventListener('datachannel', (event) => resolve(event.channel), { once: true })
    })
    this.done = this.channel.then((channel) => this.receive(channel))
    this.done.catch(() => {})
  }

  async answer(offer: RTCSessionDescriptionInit): Promise<RTCSessionDescriptionInit> {
    // Ready before the answer leaves: no channel can open, let alone deliver, before that.
    this.hash = await createSha256()
    await this.pc.setRemoteDescription(offer)
    return describeWithCandidates(this.pc)
  }

  async opened(): Promise<void> {
    await channelOpen(await this.channel)
  }

  received(): Promise<{ info: ReceivedInfo; blob: Blob }> {
    return this.done
  }

  private receive(channel: RTCDataChannel): Promise<{ info: ReceivedInfo; blob: Blob }> {
    channel.binaryType = 'arraybuffer'
    const hash = this.hash!
    let parts: Blob[] = []
    let received = 0
    return new Promise((resolve, reject) => {
      channel.onclose = () => reject(new Error(`the raw channel closed after ${received} of ${this.size} bytes`))
      channel.onmessage = (event) => {
        if (!(event.data instanceof ArrayBuffer)) return
        const chunk = event.data
        received += chunk.byteLength
        if (received > this.size) {
          reject(new Error(`the raw receiver got ${received} bytes, ${this.size} expected`))
          return
        }
        if (this.hashed) hash.update(new Uint8Array(chunk))
        parts.push(new Blob([chunk]))
        if (received < this.size) return
        const blob = new Blob(parts, { type: 'application/octet-stream' })
        parts = []
        const digest = this.hashed ? hash.digest('hex') : ''
        channel.send(RAW_DONE_PREFIX + digest)
        resolve({ info: { size: blob.size, sha256: digest }, blob })
      }
    })
  }
}
