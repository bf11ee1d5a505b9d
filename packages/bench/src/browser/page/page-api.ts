/**
 * What the bench page exposes on `window.ferryBench`, for the Node orchestrator to call through
 * `page.evaluate`. One page plays one side (sender or receiver) of one run, then its context is closed.
 */
export interface PageApi {
  /** Builds the random source Blob in this page; resolves with its SHA-256 (hex). */
  makeSource(sizeBytes: number): Promise<{ sha256: string; ms: number }>

  /** Raw sender: creates the connection and channel; resolves with the offer, ICE gathered. */
  rawOffer(): Promise<RTCSessionDescriptionInit>
  /** Raw receiver: answers the offer (ICE gathered) and expects `sizeBytes` on the channel, hashing them if `hashed`. */
  rawAnswer(offer: RTCSessionDescriptionInit, sizeBytes: number, hashed: boolean): Promise<RTCSessionDescriptionInit>
  /** Raw sender: applies the answer; resolves when the channel is open. */
  rawAccept(answer: RTCSessionDescriptionInit): Promise<void>
  /** Raw receiver: resolves when the channel is open. */
  rawOpened(): Promise<void>
  /** Raw sender: sends the source, hashing it if `hashed`; resolves when the receiver said it has every byte. */
  rawSend(hashed: boolean): Promise<SendOutcome>

  /** Logs in to the signaling server as `userId`, ready to receive one file into `storage`. */
  ferryConnect(url: string, userId: string, storage: FerryStorage): Promise<void>
  /** Ferry sender: one cmd round trip, so the timed send finds the link open. */
  ferryWarmUp(to: string): Promise<void>
  /** Ferry sender: `sendFile(to, source).done`, timed. */
  ferrySend(to: string): Promise<SendOutcome>

  /** Receiver (either side): resolves once the whole file arrived and was stored, with what the path reported. */
  received(): Promise<ReceivedInfo>
  /** Receiver: SHA-256 (hex) of the delivered Blob, read back slice by slice; then lets the Blob go. */
  rehashReceived(): Promise<string>
}

/** Where a Ferry receiver stores files: the default (IndexedDB), or a Blob built in memory. */
export type FerryStorage = 'indexeddb' | 'memory'

export interface SendOutcome {
  /** From the first read of the source to the receiver's confirmation that it stored every byte. */
  seconds: number
}

export interface ReceivedInfo {
  size: number
  /** Hex SHA-256 the receiving path computed over the bytes as they arrived; empty for an unhashed raw run. */
  sha256: string
}

declare global {
  interface Window {
    ferryBench: PageApi
  }
}
