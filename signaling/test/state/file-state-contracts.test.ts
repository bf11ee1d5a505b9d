import { fileState } from '../../src/state/file/file-state.js'
import { LmdbDedupeStore } from '../../src/state/file/lmdb-dedupe-store.js'
import { openStateDb } from '../../src/state/file/state-db.js'
import type { ServerState } from '../../src/state/server-state.js'
import { dedupeStoreBoundContract, dedupeStoreContract } from './contracts/dedupe-store-contract.js'
import { fileTokenStoreContract } from './contracts/file-token-store-contract.js'
import { groupStoreContract } from './contracts/group-store-contract.js'
import { inboxStoreContract } from './contracts/inbox-store-contract.js'
import type { Cleanup, TestClock } from './contracts/store-factory.js'
import { stateDir } from './state-dir.js'

/** Small enough to fill in a test. */
const TEST_MAX_DEDUPE_RECORDS = 50

/** File state in a fresh directory; closed, then removed, after the test. */
async function state(t: Cleanup, clock: TestClock): Promise<ServerState> {
  const dir = await stateDir(t)
  const opened = fileState(dir, { now: clock.now })
  t.after(() => opened.close())
  return opened
}

groupStoreContract('file', async (t, clock) => (await state(t, clock)).groups)
inboxStoreContract('file', async (t, clock) => (await state(t, clock)).inbox)
dedupeStoreContract('file', async (t, clock) => (await state(t, clock)).dedupe)
dedupeStoreBoundContract(
  'file',
  async (t, clock) => {
    const db = openStateDb(await stateDir(t))
    t.after(() => db.root.close())
    return new LmdbDedupeStore(db, () => {}, clock.now, TEST_MAX_DEDUPE_RECORDS)
  },
  TEST_MAX_DEDUPE_RECORDS,
)
fileTokenStoreContract('file', async (t, clock) => (await state(t, clock)).fileTokens)
