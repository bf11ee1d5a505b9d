import { type FileSendResponse, OFFLINE_RETENTION_MS } from '@ferry/protocol'

/** File sends remembered by (from, mid), at most; the oldest are forgotten first (they also expire). */
const MAX_SENT_FILES = 100_000

/**
 * The answers of file sends that carried a mid, so a resend returns the first answer without storing
 * the file again (deliveries dedupe the message itself by the same key). Kept as long as deliveries
 * remember mids.
 */
export class SentFiles {
  private readonly sent = new Map<string, FileSendResponse>()

  constructor(private readonly now: () => number = Date.now) {}

  get(from: string, mid: string): FileSendResponse | undefined {
    const key = `${from}\n${mid}`
    const response = this.sent.get(key)
    if (response && response.mtime < this.now() - OFFLINE_RETENTION_MS) {
      this.sent.delete(key)
      return undefined
    }
    return response
  }

  remember(from: string, response: FileSendResponse): void {
    this.sent.set(`${from}\n${response.mid}`, response)
    if (this.sent.size > MAX_SENT_FILES) this.sent.delete(this.sent.keys().next().value!)
  }
}
