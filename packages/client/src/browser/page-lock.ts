/**
 * Each page that writes received files holds a Web Lock for as long as it lives. Another page of the
 * same origin can then tell a partial file still arriving in a live tab from one left by a tab that
 * closed or reloaded mid-transfer: the lock of the latter is gone.
 */
const LOCK_PREFIX = 'ferry-page-'

function locks(): LockManager | undefined {
  return globalThis.navigator?.locks
}

/** Takes this page's lock (held until the page goes away) and resolves with its name. */
export async function holdPageLock(): Promise<string> {
  const bytes = new Uint8Array(12)
  crypto.getRandomValues(bytes)
  const name = LOCK_PREFIX + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  const manager = locks()
  if (!manager) return name
  await new Promise<void>((granted) => {
    void manager.request(name, () => {
      granted()
      return new Promise<never>(() => {})
    })
  })
  return name
}

/** Names of the locks held or requested now, or undefined where there is no Web Locks API. */
export async function liveLockNames(): Promise<Set<string> | undefined> {
  const manager = locks()
  if (!manager) return undefined
  const { held = [], pending = [] } = await manager.query()
  return new Set([...held, ...pending].map((lock) => lock.name ?? ''))
}
