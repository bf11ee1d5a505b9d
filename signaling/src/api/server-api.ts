import { FerryError, FILE_TOKEN_TTL_MS } from '@ferry/protocol'
import { API_SEND_BURST, API_SENDS_PER_SECOND } from '../constants.js'
import type { RateStore } from '../limits/rate-store.js'
import type { DedupeStore } from '../state/dedupe-store.js'
import type { FileTokenStore } from '../state/file-token-store.js'
import type { ApiHttpContext } from './api-http.js'
import { FileTokens } from './file-tokens.js'
import { SendBudget } from './send-budget.js'
import { SentFiles } from './sent-files.js'

/** Tuning of the server API (the server's `serverApi` option); the defaults suit production. */
export interface ServerApiOptions {
  /** How long a file token is valid, in ms. Default FILE_TOKEN_TTL_MS. */
  fileTokenTtlMs?: number
  /** Sends one `from` user may make per second, sustained. Default API_SENDS_PER_SECOND. */
  sendsPerSecond?: number
  /** Sends one `from` user may make in a burst. Default API_SEND_BURST. */
  sendBurst?: number
  /** The wall clock of file token expiry, ms since the epoch. Default `Date.now`. */
  now?: () => number
}

/** The parts of the API's context that live as long as the server. */
export type ServerApiParts = Omit<ApiHttpContext, 'tokens' | 'budget' | 'sent'>

/** Where the API keeps what outlives a request: file tokens, the answers of file sends, send budgets. */
export interface ServerApiStores {
  fileTokens: FileTokenStore
  dedupe: DedupeStore
  rates: RateStore
}

/** The server API's tuning, checked: throws `invalid-argument` naming the first bad option. */
export interface ServerApiSettings {
  fileTokenTtlMs: number
  sendsPerSecond: number
  sendBurst: number
  now: () => number
}

export function checkServerApiOptions(options: ServerApiOptions = {}): ServerApiSettings {
  return {
    fileTokenTtlMs: positive(options.fileTokenTtlMs ?? FILE_TOKEN_TTL_MS, 'serverApi.fileTokenTtlMs'),
    sendsPerSecond: positive(options.sendsPerSecond ?? API_SENDS_PER_SECOND, 'serverApi.sendsPerSecond'),
    sendBurst: positive(options.sendBurst ?? API_SEND_BURST, 'serverApi.sendBurst'),
    now: options.now ?? Date.now,
  }
}

/** The API's context, with its own file tokens, send budgets and remembered file sends. */
export function serverApiContext(
  parts: ServerApiParts,
  stores: ServerApiStores,
  settings: ServerApiSettings,
): ApiHttpContext {
  return {
    ...parts,
    tokens: new FileTokens(stores.fileTokens, settings.fileTokenTtlMs, settings.now),
    budget: new SendBudget({ perSecond: settings.sendsPerSecond, burst: settings.sendBurst }, stores.rates),
    sent: new SentFiles(stores.dedupe, settings.now),
  }
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new FerryError('invalid-argument', `${name} must be a whole number, at least 1`)
  return value
}
