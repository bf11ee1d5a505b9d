import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type RedisServer, startRedis } from '../../../packages/devkit/redis-server.mjs'
import { InMemoryGroupStore } from '../../src/groups/group-store.js'
import { InMemorySessionStore } from '../../src/session-store.js'
import { InMemoryDedupeStore } from '../../src/state/dedupe-store.js'
import { fileState } from '../../src/state/file/file-state.js'
import { InMemoryFileTokenStore } from '../../src/state/file-token-store.js'
import { InMemoryInboxStore } from '../../src/state/inbox-store.js'
import { closeRedis, connectRedis } from '../../src/state/redis/redis-connection.js'
import { RedisDedupeStore } from '../../src/state/redis/redis-dedupe-store.js'
import { RedisFileTokenStore } from '../../src/state/redis/redis-file-token-store.js'
import { RedisKeys } from '../../src/state/redis/redis-keys.js'
import { type RedisServerState, redisState } from '../../src/state/redis/redis-state.js'
import type { ServerState } from '../../src/state/server-state.js'
import {
  dedupeBoundContract,
  dedupeContract,
  fileTokenContract,
  groupContract,
  inboxContract,
  sessionContract,
} from './store-contract.js'

describe('in-memory state', () => {
  sessionContract(test, async () => {
    const store = new InMemorySessionStore()
    return [store, store]
  })
  groupContract(test, async () => new InMemoryGroupStore())
  inboxContract(test, async () => new InMemoryInboxStore())
  dedupeContract(test, async () => new InMemoryDedupeStore())
  fileTokenContract(test, async (now) => new InMemoryFileTokenStore(now))
})

describe('file state', () => {
  const opened: ServerState[] = []
  const dirs: string[] = []
  /** A file state in a fresh directory, closed and removed after the suite. */
  const open = async (now?: () => number): Promise<ServerState> => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-state-contract-'))
    dirs.push(dir)
    const state = fileState(dir, now === undefined ? {} : { now })
    opened.push(state)
    return state
  }
  after(async () => {
    await Promise.all(opened.map((state) => state.close()))
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  groupContract(test, async () => (await open()).groups)
  inboxContract(test, async () => (await open()).inbox)
  dedupeContract(test, async () => (await open()).dedupe)
  fileTokenContract(test, async (now) => (await open(now)).fileTokens)
})

describe('Redis state, two nodes over one Redis', () => {
  let redis: RedisServer
  const opened: RedisServerState[] = []
  const connections: ReturnType<typeof connectRedis>[] = []
  let fresh = 0
  /** A prefix no other case uses: each case starts from an empty store in the one Redis. */
  const prefix = (): string => `case${++fresh}:`
  /** Two nodes' states over the same keys, each with its own connection. */
  const nodes = async (): Promise<[RedisServerState, RedisServerState]> => {
    const p = prefix()
    const pair: [RedisServerState, RedisServerState] = [
      redisState({ url: redis.url, prefix: p }),
      redisState({ url: redis.url, prefix: p }),
    ]
    opened.push(...pair)
    // Sessions name their node, and read as offline until the node's first heartbeat landed.
    await Promise.all(pair.map((state) => state.started))
    return pair
  }
  const connection = (): ReturnType<typeof connectRedis> => {
    const c = connectRedis(redis.url, { info() {}, warn() {} }, 'test')
    connections.push(c)
    return c
  }

  before(async () => {
    redis = await startRedis()
  })
  after(async () => {
    await Promise.all(opened.map((state) => state.close()))
    await Promise.all(connections.map(closeRedis))
    await redis.stop()
  })

  sessionContract(test, async () => {
    const [a, b] = await nodes()
    return [a.sessions, b.sessions]
  })
  groupContract(test, async () => (await nodes())[0].groups)
  inboxContract(test, async () => (await nodes())[0].inbox)
  dedupeContract(test, async () => (await nodes())[0].dedupe)
  dedupeBoundContract(test, async (max) => new RedisDedupeStore(connection(), new RedisKeys(prefix()), max))
  fileTokenContract(test, async (now) => new RedisFileTokenStore(connection(), new RedisKeys(prefix()), now))
})
