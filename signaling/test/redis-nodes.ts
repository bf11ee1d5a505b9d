import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FerryClient, type FerryEvents, type FerryOptions } from '@ferry/client'
import { nodePlatform } from '@ferry/client/node'
import { FerryServerApi } from '@ferry/server-sdk'
import wrtc from '@roamhq/wrtc'
import { next } from '../../packages/client/test/helpers.js'
import { type RedisServer, startRedis } from '../../packages/devkit/redis-server.mjs'
import { type CliProcess, startCli } from './cli-process.js'

/** Cleanups registered during a file's `before` hook and run by its `after` hook. */
export function fileCleanup(): Cleanup & { run(): Promise<void> } {
  const steps: Array<() => Promise<void> | void> = []
  return {
    after: (fn) => steps.push(fn),
    run: async () => {
      for (const step of steps) await step()
    },
  }
}

/** The admin key every node of a scene takes, so the server API answers through any of them. */
export const NODES_ADMIN_KEY = 'admin-key-of-the-multi-node-tests-012345'

type Cleanup = { after(fn: () => Promise<void> | void): void }

/** Several `ferry-signaling` processes over one throwaway Redis, and clients of any of them. */
export interface NodesScene {
  redis: RedisServer
  /** The nodes started so far, in order; a killed one stays in its place. */
  nodes: CliProcess[]
  /** Where clients keep downloads (one folder per user and node). */
  dir: string
  /** Starts one more node over the same Redis. */
  addNode(): Promise<CliProcess>
  /** `kill -9` of a node: no goodbye to Redis, its clients or its sockets. */
  kill(node: CliProcess): void
  /** A FerryClient of `node` as `userId`, not connected yet (attach handlers, then `connect()`); closed at the end. */
  open(node: CliProcess, userId: string, options?: Partial<FerryOptions>): FerryClient
  /** `open`, then `connect()`. */
  client(node: CliProcess, userId: string, options?: Partial<FerryOptions>): Promise<FerryClient>
  /** The server API through `node`. */
  api(node: CliProcess): FerryServerApi
  /** The first two nodes, which a test of two nodes needs started. */
  pair(): [CliProcess, CliProcess]
}

/** A step across processes and Redis on a loaded machine: WebRTC setup, a few MiB. */
export const NODES_STEP_TIMEOUT_MS = 30_000

/** The next `type` event of `client` that passes `match`, within a step's time. */
export function nextOnNodes<K extends keyof FerryEvents>(
  client: FerryClient,
  type: K,
  match?: (event: FerryEvents[K]) => boolean,
): Promise<FerryEvents[K]> {
  return next(client, type, match, NODES_STEP_TIMEOUT_MS)
}

/** Where the nodes keep media: nowhere (the default), or one directory all of them share. */
export interface NodesOptions {
  sharedMedia?: boolean
}

/**
 * Starts Redis and `count` CLI nodes (dev mode, server API on, no media store unless `sharedMedia`)
 * that share it under a key prefix of their own, each with the flags in `args`. Everything stops when
 * the test ends: clients first, then the nodes (SIGKILL), then Redis.
 */
export async function startNodes(
  t: Cleanup,
  count: number,
  args: string[] = [],
  options: NodesOptions = {},
): Promise<NodesScene> {
  const redis = await startRedis()
  const dir = await mkdtemp(join(tmpdir(), 'ferry-nodes-'))
  const clients: FerryClient[] = []
  const prefix = `nodes-${randomBytes(4).toString('hex')}:`
  // `after` hooks run in the order they were added: this one runs after every node's kill.
  const cleanup: Array<() => Promise<void>> = []
  t.after(async () => {
    for (const client of clients.reverse()) await client.close()
    for (const step of cleanup) await step()
    await redis.stop()
    await rm(dir, { recursive: true, force: true })
  })
  const nodeArgs = [
    '--redis-url',
    redis.url,
    '--redis-prefix',
    prefix,
    '--admin-key',
    NODES_ADMIN_KEY,
    ...(options.sharedMedia ? ['--media-dir', join(dir, 'shared-media')] : ['--no-media']),
    ...args,
  ]
  const scene: NodesScene = {
    redis,
    nodes: [],
    dir,
    async addNode() {
      const node = await startCli({ after: (fn) => cleanup.push(async () => fn()) }, nodeArgs)
      scene.nodes.push(node)
      return node
    },
    kill(node) {
      node.kill()
    },
    open(node, userId, options = {}) {
      const nodeIndex = scene.nodes.indexOf(node)
      const client = new FerryClient({
        url: node.url,
        userId,
        platform: nodePlatform({
          wrtc,
          downloadDir: join(dir, `${userId}-node${nodeIndex}`),
          mediaDir: join(dir, 'media', `${userId}-node${nodeIndex}`),
        }),
        ...options,
      })
      clients.push(client)
      return client
    },
    async client(node, userId, options = {}) {
      const client = scene.open(node, userId, options)
      await client.connect()
      return client
    },
    api(node) {
      return new FerryServerApi({ url: node.url, adminKey: NODES_ADMIN_KEY })
    },
    pair() {
      const [a, b] = scene.nodes
      if (a === undefined || b === undefined) throw new Error('the scene has fewer than two nodes')
      return [a, b]
    },
  }
  for (let i = 0; i < count; i++) await scene.addNode()
  return scene
}
