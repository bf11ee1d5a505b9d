import { browserPlatform, FerryClient } from '@ferry/client'
import type { FerryStorage, ReceivedInfo, SendOutcome } from './page-api.js'

/** Text of the warm-up cmd: opening the link is its only purpose. */
const WARM_UP_CMD = 'warm-up'

/**
 * One side of a Ferry run: a client with the browser platform, storing received files in IndexedDB
 * (the default) or, to tell storage cost from channel cost, in memory. The transport is the default
 * (`auto`), but a run that went through anything but a direct data channel fails: the raw baseline is
 * a direct channel.
 */
export class FerrySide {
  private readonly client: FerryClient
  private readonly file: Promise<{ info: ReceivedInfo; blob: Blob }>
  /** Every transport a link of this client opened on. */
  private readonly transports = new Set<string>()

  constructor(url: string, userId: string, storage: FerryStorage) {
    this.client = new FerryClient({ url, userId, platform: browserPlatform({ storage }) })
    this.file = new Promise((resolve, reject) => {
      this.client.on('file', ({ file }) => {
        if (!file.blob) reject(new Error('Ferry delivered a file without a Blob'))
        else resolve({ info: { size: file.size, sha256: file.sha256 }, blob: file.blob })
      })
      this.client.on('receive-failed', ({ code }) => reject(new Error(`Ferry's receiver failed: ${code}`)))
    })
    this.file.catch(() => {})
    this.client.on('link', ({ state, transport }) => {
      if (state === 'open' && transport) this.transports.add(transport)
    })
  }

  connect(): Promise<void> {
    return this.client.connect()
  }

  async warmUp(to: string): Promise<void> {
    await this.client.sendCmd(to, WARM_UP_CMD).done
    this.checkDirect()
  }

  /** Resolves when the receiver has verified and stored the file (the sender's task is done). */
  async send(to: string, blob: Blob): Promise<SendOutcome> {
    const started = performance.now()
    await this.client.sendFile(to, blob, { name: 'bench.bin' }).done
    const seconds = (performance.now() - started) / 1000
    this.checkDirect()
    return { seconds }
  }

  received(): Promise<{ info: ReceivedInfo; blob: Blob }> {
    return this.file
  }

  private checkDirect(): void {
    const used = [...this.transports]
    if (used.length === 0 || used.some((transport) => transport !== 'direct')) {
      throw new Error(`Ferry's link went over ${used.join(' and ') || 'no transport'}, not only a direct data channel`)
    }
  }
}
