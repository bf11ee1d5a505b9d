/**
 * A peer child for the raw baseline: plain `@roamhq/wrtc`, one data channel, an ideal sender.
 *
 * Both ends hash the data with SHA-256 as it passes, because Ferry hashes every buffer and file on both
 * ends to verify it; a baseline that skipped the hashing would compare Ferry with less work, not with
 * less overhead. Control messages are strings ('warmup', 'done:<sha256>'); data and pings are binary.
 */
import { createHash, type Hash } from 'node:crypto'
import { type FileHandle, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_CHUNK_BYTES, HIGH_WATER_BYTES } from '@ferry/protocol'
import { RssSampler } from './measure.js'
import { fileSha256, seededBuffer, sha256Hex } from './payload.js'
import type { PeerConfig, SenderResult } from './peer-ipc.js'
import { type PeerProcess, runPeer } from './peer-process.js'
import { CMD_BYTES, pollForRoom, timeRoundTrips, warmUpChannel } from './raw-channel.js'
import { openRawLink } from './raw-link.js'

/** The ideal sender's chunk: the size at which a raw `@roamhq/wrtc` sender peaks, as Ferry's default. */
const RAW_CHUNK_BYTES = DEFAULT_CHUNK_BYTES

runPeer(async (peer) => {
  const { config } = peer
  // Allocated and filled before anything else, so the sender's RSS baseline already includes it.
  const source =
    config.role === 'sender' && config.benchCase === 'buffer' ? seededBuffer(config.sizeBytes, config.seed) : undefined
  peer.send({ t: 'ready' })
  const { pc, channel } = await openRawLink(peer)
  if (config.role === 'sender') await runSender(peer, channel, source)
  else await runReceiver(peer, channel)
  await peer.next('close')
  channel.close()
  pc.close()
})

async function runSender(
  peer: PeerProcess,
  channel: RTCDataChannel,
  source: Uint8Array<ArrayBuffer> | undefined,
): Promise<void> {
  const { config } = peer
  await warmUpChannel(channel)
  if (config.benchCase === 'cmd') {
    peer.send({ t: 'linked' })
    await peer.next('start')
    const rttMs = await timeRoundTrips(channel, config.cmdWarmup, config.cmdCount)
    peer.send({ t: 'sent', result: { seconds: 0, rssGrowthMiB: 0, sha256: null, rttMs } })
    return
  }
  const receiverSha = new Promise<string>((resolve) => {
    channel.onmessage = (event) => {
      if (typeof event.data === 'string' && event.data.startsWith('done:')) resolve(event.data.slice('done:'.length))
    }
  })
  const file = config.benchCase === 'file' ? await open(config.sourcePath, 'r') : undefined
  const chunk = new Uint8Array(RAW_CHUNK_BYTES)
  peer.send({ t: 'linked' })
  await peer.next('start')

  const sampler = new RssSampler()
  sampler.start()
  const started = performance.now()
  const hash = createHash('sha256')
  for (let position = 0; position < config.sizeBytes; ) {
    const length = Math.min(RAW_CHUNK_BYTES, config.sizeBytes - position)
    let data: Uint8Array<ArrayBuffer>
    if (file) {
      const { bytesRead } = await file.read(chunk, 0, length, position)
      if (bytesRead === 0) throw new Error(`source file ended at ${position} of ${config.sizeBytes} bytes`)
      data = chunk.subarray(0, bytesRead)
    } else {
      data = source!.subarray(position, position + length)
    }
    hash.update(data)
    await pollForRoom(channel, HIGH_WATER_BYTES)
    channel.send(data)
    position += data.byteLength
  }
  const sha256 = hash.digest('hex')
  const confirmed = await receiverSha
  const seconds = (performance.now() - started) / 1000
  const rssGrowthMiB = sampler.stop()
  await file?.close()
  if (confirmed !== sha256) throw new Error(`raw receiver hashed ${confirmed}, sender sent ${sha256}`)
  const result: SenderResult = { seconds, rssGrowthMiB, sha256, rttMs: [] }
  peer.send({ t: 'sent', result })
}

async function runReceiver(peer: PeerProcess, channel: RTCDataChannel): Promise<void> {
  const { config } = peer
  let sink: RawSink | undefined
  channel.onmessage = (event) => {
    const data: unknown = event.data
    if (typeof data === 'string') {
      if (data === 'warmup') channel.send('warmup')
      return
    }
    const bytes = new Uint8Array(data as ArrayBuffer)
    if (config.benchCase === 'cmd') {
      if (bytes.byteLength !== CMD_BYTES) peer.fail(new Error(`ping of ${bytes.byteLength} bytes`))
      channel.send(bytes)
    } else if (!sink) {
      peer.fail(new Error('data arrived before the receiver was armed'))
    } else {
      sink.accept(bytes)
    }
  }
  await peer.next('arm')
  if (config.benchCase === 'cmd') {
    peer.send({ t: 'armed' })
    return
  }
  // Preallocated before the baseline; its pages are touched, and counted, as the data arrives.
  sink = config.benchCase === 'buffer' ? new BufferSink(config.sizeBytes) : await FileSink.open(config)
  const sampler = new RssSampler()
  sampler.start()
  peer.send({ t: 'armed' })
  const sha256 = await sink.complete
  channel.send(`done:${sha256}`)
  peer.send({ t: 'received', result: { rssGrowthMiB: sampler.stop() } })
  await peer.next('verify')
  peer.send({ t: 'verified', sha256: await sink.verify() })
}

/** Where the raw receiver puts what arrives. `complete` resolves with the SHA-256 once the last byte is stored. */
interface RawSink {
  accept(bytes: Uint8Array): void
  readonly complete: Promise<string>
  /** Off the clock: hashes what was stored, independently of the running hash, and frees it. */
  verify(): Promise<string>
}

class BufferSink implements RawSink {
  readonly complete: Promise<string>
  #target: Uint8Array
  #offset = 0
  #hash: Hash = createHash('sha256')
  #resolve!: (sha256: string) => void
  #reject!: (error: Error) => void

  constructor(size: number) {
    this.#target = new Uint8Array(size)
    this.complete = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
  }

  accept(bytes: Uint8Array): void {
    if (this.#offset + bytes.byteLength > this.#target.byteLength) {
      this.#reject(new Error(`more than the ${this.#target.byteLength} bytes expected`))
      return
    }
    this.#target.set(bytes, this.#offset)
    this.#hash.update(bytes)
    this.#offset += bytes.byteLength
    if (this.#offset === this.#target.byteLength) this.#resolve(this.#hash.digest('hex'))
  }

  async verify(): Promise<string> {
    const sha256 = sha256Hex(this.#target)
    this.#target = new Uint8Array(0)
    return sha256
  }
}

class FileSink implements RawSink {
  readonly complete: Promise<string>
  #file: FileHandle
  #path: string
  #size: number
  #received = 0
  #hash: Hash = createHash('sha256')
  #writes: Promise<void> = Promise.resolve()
  #resolve!: (sha256: string) => void
  #reject!: (error: unknown) => void

  static async open(config: PeerConfig): Promise<FileSink> {
    const path = join(config.workDir, 'raw-received.bin')
    return new FileSink(await open(path, 'w'), path, config.sizeBytes)
  }

  private constructor(file: FileHandle, path: string, size: number) {
    this.#file = file
    this.#path = path
    this.#size = size
    this.complete = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
  }

  accept(bytes: Uint8Array): void {
    if (this.#received + bytes.byteLength > this.#size) {
      this.#reject(new Error(`more than the ${this.#size} bytes expected`))
      return
    }
    const position = this.#received
    this.#received += bytes.byteLength
    this.#hash.update(bytes)
    // Writes run one after another, in arrival order, each awaited before the next starts.
    this.#writes = this.#writes.then(() => writeAll(this.#file, bytes, position))
    if (this.#received < this.#size) return
    const sha256 = this.#hash.digest('hex')
    this.#writes.then(() => this.#file.close()).then(() => this.#resolve(sha256), this.#reject)
  }

  async verify(): Promise<string> {
    const sha256 = await fileSha256(this.#path)
    await unlink(this.#path)
    return sha256
  }
}

async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let written = 0; written < bytes.byteLength; ) {
    const { bytesWritten } = await file.write(bytes, written, bytes.byteLength - written, position + written)
    written += bytesWritten
  }
}
