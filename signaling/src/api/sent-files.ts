import { type FileSendResponse, OFFLINE_RETENTION_MS } from '@ferry/protocol'
import type { DedupeStore } from '../state/dedupe-store.js'

/**
 * The answers of file sends that carried a mid, so a resend returns the first answer without storing
 * the file again (deliveries dedupe the message itself by the same key). Kept as long as deliveries
 * remember mids.
 */
export class SentFiles {
  constructor(
    private readonly store: DedupeStore,
    private readonly now: () => number = Date.now,
  ) {}

  async get(from: string, mid: string): Promise<FileSendResponse | undefined> {
    const value = await this.store.get({ scope: 'file', from, mid })
    return value === undefined ? undefined : (JSON.parse(value) as FileSendResponse)
  }

  async remember(from: string, response: FileSendResponse): Promise<void> {
    const key = { scope: 'file', from, mid: response.mid } as const
    await this.store.set(key, JSON.stringify(response), response.mtime + OFFLINE_RETENTION_MS)
  }
}
