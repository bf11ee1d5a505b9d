/**
 * The bench page: one page is one side of one run. The Node orchestrator (bench-browser.ts) calls
 * `window.ferryBench` through `page.evaluate`; state lives here between calls.
 */
import { FerrySide } from './ferry-side.js'
import type { PageApi, ReceivedInfo } from './page-api.js'
import { blobSha256, randomBlob } from './random-blob.js'
import { RawReceiver } from './raw-receiver.js'
import { RawSender } from './raw-sender.js'

let source: Blob | undefined
let rawSender: RawSender | undefined
let rawReceiver: RawReceiver | undefined
let ferry: FerrySide | undefined
let delivered: Blob | undefined

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not set up in this page`)
  return value
}

const api: PageApi = {
  async makeSource(sizeBytes) {
    const started = performance.now()
    const made = await randomBlob(sizeBytes)
    source = made.blob
    return { sha256: made.sha256, ms: performance.now() - started }
  },

  rawOffer() {
    rawSender = new RawSender()
    return rawSender.offer()
  },
  rawAnswer(offer, sizeBytes, hashed) {
    rawReceiver = new RawReceiver(sizeBytes, hashed)
    return rawReceiver.answer(offer)
  },
  rawAccept(answer) {
    return need(rawSender, 'the raw sender').accept(answer)
  },
  rawOpened() {
    return need(rawReceiver, 'the raw receiver').opened()
  },
  rawSend(hashed) {
    return need(rawSender, 'the raw sender').send(need(source, 'the source'), hashed)
  },

  async ferryConnect(url, userId, storage) {
    ferry = new FerrySide(url, userId, storage)
    await ferry.connect()
  },
  ferryWarmUp(to) {
    return need(ferry, 'the Ferry client').warmUp(to)
  },
  ferrySend(to) {
    return need(ferry, 'the Ferry client').send(to, need(source, 'the source'))
  },

  async received(): Promise<ReceivedInfo> {
    const side = rawReceiver ?? need(ferry, 'a receiver')
    const { info, blob } = await side.received()
    delivered = blob
    return info
  },
  async rehashReceived() {
    const digest = await blobSha256(need(delivered, 'a received file'))
    delivered = undefined
    return digest
  },
}

window.ferryBench = api
