import { InMemoryGroupStore } from '../../src/groups/group-store.js'
import { InMemoryDedupeStore } from '../../src/state/dedupe-store.js'
import { InMemoryFileTokenStore } from '../../src/state/file-token-store.js'
import { InMemoryInboxStore } from '../../src/state/inbox-store.js'
import { dedupeStoreBoundContract, dedupeStoreContract } from './contracts/dedupe-store-contract.js'
import { fileTokenStoreContract } from './contracts/file-token-store-contract.js'
import { groupStoreContract } from './contracts/group-store-contract.js'
import { inboxStoreContract } from './contracts/inbox-store-contract.js'

/** Small enough to fill in a test. */
const TEST_MAX_DEDUPE_RECORDS = 50

groupStoreContract('memory', async () => new InMemoryGroupStore())
inboxStoreContract('memory', async () => new InMemoryInboxStore())
dedupeStoreContract('memory', async (_t, clock) => new InMemoryDedupeStore(clock.now))
dedupeStoreBoundContract(
  'memory',
  async (_t, clock) => new InMemoryDedupeStore(clock.now, TEST_MAX_DEDUPE_RECORDS),
  TEST_MAX_DEDUPE_RECORDS,
)
fileTokenStoreContract('memory', async (_t, clock) => new InMemoryFileTokenStore(clock.now))
