import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FerryClient } from '@ferry/client'
import { nodePlatform } from '@ferry/client/node'
import wrtc from '@roamhq/wrtc'
import { createSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../src/index.js'

/**
 * The scene every abuse case runs in: a server with a media store in a directory the scene watches,
 * and after each case the checks the catalogue promises: the server still serves, a well-behaved pair
 * still exchanges a cmd, and nothing of the abuse was written or kept.
 */
export interface AbuseScene {
  server: SignalingServer
  url: string
  /** The media store's directory. */
  mediaDir: string
  /** GET /healthz answers 200. */
  assertUp(): Promise<void>
  /** Two fresh users, logged in with Ferry's client over the relay, exchange a cmd both ways. */
  assertPairWorks(): Promise<void>
  /**
   * The media store holds what it held before the case (nothing of the abuse), and nothing is kept for
   * `users`: no delivery waits for their acknowledgement.
   */
  assertNothingKept(users?: readonly string[]): Promise<void>
  /** All three, in that order. */
  assertHealthy(users?: readonly string[]): Promise<void>
  close(): Promise<void>
}

/** Long enough for a loaded 2-core machine, short enough that a broken server fails fast. */
const PAIR_TIMEOUT_MS = 15_000

let pairs = 0

/** How the scene's well-behaved users log in: by user id, or with a token minted for them (token mode). */
export interface SceneLogin {
  token?(userId: string): Promise<string>
}

export async function abuseScene(
  options: Partial<SignalingServerOptions> = {},
  login: SceneLogin = {},
): Promise<AbuseScene> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-abuse-'))
  const mediaDir = join(dir, 'media')
  const server = await createSignalingServer({ port: 0, host: '127.0.0.1', media: { dir: mediaDir }, ...options })
  const before = await listTree(mediaDir)

  const scene: AbuseScene = {
    server,
    url: server.url,
    mediaDir,
    async assertUp() {
      const res = await fetch(`${server.url}/healthz`)
      assert.equal(res.status, 200, 'GET /healthz')
      await res.arrayBuffer()
    },
    async assertPairWorks() {
      const n = ++pairs
      const [a, b] = await Promise.all([client(`well-behaved-a${n}`), client(`well-behaved-b${n}`)])
      try {
        const got = new Promise<unknown>((resolve) => b.on('cmd', ({ data }) => resolve(data)))
        await withTimeout(a.sendCmd(b.userId ?? '', 'still here').done, 'a cmd between a well-behaved pair')
        assert.equal(await withTimeout(got, 'the cmd event'), 'still here')
        const back = new Promise<unknown>((resolve) => a.on('cmd', ({ data }) => resolve(data)))
        await withTimeout(b.sendCmd(a.userId ?? '', 'and back').done, 'the cmd back')
        assert.equal(await withTimeout(back, 'the cmd event back'), 'and back')
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    },
    async assertNothingKept(users = []) {
      assert.deepEqual(await listTree(mediaDir), before, 'the media store holds nothing new')
      for (const user of users) assert.equal(await server.deliveries.keptFor(user), 0, `nothing kept for ${user}`)
    },
    async assertHealthy(users = []) {
      await scene.assertUp()
      await scene.assertPairWorks()
      await scene.assertNothingKept(users)
    },
    async close() {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }

  async function client(userId: string): Promise<FerryClient> {
    const ferry = new FerryClient({
      url: server.url,
      ...(login.token ? { token: await login.token(userId) } : { userId }),
      transport: 'relay',
      platform: nodePlatform({ wrtc, downloadDir: join(dir, 'downloads', userId), mediaDir: join(dir, 'cache') }),
    })
    await withTimeout(ferry.connect(), `${userId} logging in`)
    return ferry
  }

  return scene
}

/** Every file under `dir`, as paths relative to it, sorted; none when it does not exist. */
export async function listTree(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
      .sort()
  } catch {
    return []
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${PAIR_TIMEOUT_MS} ms`)), PAIR_TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
