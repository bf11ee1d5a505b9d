import { ROOM_ID_PATTERN, type SendTarget, USER_ID_PATTERN } from '@ferry/protocol'
import type { FileGrant, FileTokenStore, StoredGrant } from '../file-token-store.js'
import { OrderedTable } from './ordered-table.js'
import { decodeJson, encodeJson } from './record-codec.js'
import type { StateDb } from './state-db.js'

const ALL: readonly string[] = []

/** Expired tokens a put removes per pass of its sweep; it passes again while all it saw had expired. */
const SWEEP_BATCH = 256

const COMMANDS = new Set<string>(['sendfile', 'sendfiles', 'sendgroupfile', 'sendroomfile'])

/**
 * File tokens in the state database, by hash, oldest first. As in memory: a put first drops the
 * expired ones from the oldest on, then keeps at most `maxTokens`; a take spends a token, expired or
 * not.
 */
export class LmdbFileTokenStore implements FileTokenStore {
  readonly #table: OrderedTable

  constructor(
    private readonly db: StateDb,
    corrupt: (what: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.#table = new OrderedTable(db, 'tokens', corrupt)
  }

  put(tokenHash: string, grant: StoredGrant, maxTokens: number): Promise<void> {
    return this.db.transaction(() => {
      this.#dropExpired(this.now())
      const { expiresAt, from, cmd, target } = grant
      this.#table.put(ALL, [tokenHash], encodeJson({ from, cmd, target }), expiresAt, false)
      while (this.#table.count(ALL) > maxTokens) {
        const [oldest] = this.#table.oldest(ALL, 1)
        if (oldest === undefined) break
        this.#table.remove(ALL, oldest.id)
      }
    })
  }

  take(tokenHash: string): Promise<StoredGrant | undefined> {
    return this.db.transaction(() => {
      const record = this.#table.get(ALL, [tokenHash])
      this.#table.remove(ALL, [tokenHash])
      if (record === undefined) return undefined
      const grant = parseGrant(decodeJson(record.payload))
      if (grant === undefined) this.#table.corrupt('file token grant')
      return grant === undefined ? undefined : { ...grant, expiresAt: record.expiresAt }
    })
  }

  #dropExpired(now: number): void {
    for (;;) {
      const batch = this.#table.oldest(ALL, SWEEP_BATCH)
      for (const { id, record } of batch) {
        if (record.expiresAt > now) return
        this.#table.remove(ALL, id)
      }
      if (batch.length < SWEEP_BATCH) return
    }
  }
}

/** A grant as written by `put`, or undefined for anything else. */
function parseGrant(value: unknown): FileGrant | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { from, cmd, target } = value as Record<string, unknown>
  if (!isId(from, USER_ID_PATTERN) || typeof cmd !== 'string' || !COMMANDS.has(cmd)) return undefined
  const parsed = parseTarget(target)
  return parsed === undefined ? undefined : { from, cmd: cmd as FileGrant['cmd'], target: parsed }
}

function parseTarget(value: unknown): SendTarget | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const target: SendTarget = {}
  for (const [field, item] of Object.entries(value)) {
    if (field === 'to' && isId(item, USER_ID_PATTERN)) target.to = item
    else if (field === 'gid' && isId(item, ROOM_ID_PATTERN)) target.gid = item
    else if (field === 'rid' && isId(item, ROOM_ID_PATTERN)) target.rid = item
    else if (field === 'tos' && Array.isArray(item) && item.every((id) => isId(id, USER_ID_PATTERN))) target.tos = item
    else return undefined
  }
  return target
}

function isId(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value)
}
