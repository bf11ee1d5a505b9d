import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before } from 'node:test'
import { createSignalingServer, type SignalingServer, type SignalingServerOptions } from '@ferry/signaling'
import wrtc from '@roamhq/wrtc'
import { FerryClient, type FerryEvents, type FerryOptions } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'

/** Everything a test opened, closed in reverse order by `close()`. */
export interface Harness {
  server: SignalingServer
  dir: string
  client(userId: string, options?: ClientOptions): Promise<FerryClient>
  close(): Promise<void>
}

export async function harness(serverOptions: Partial<SignalingServerOptions> = {}): Promise<Harness> {
  const server = await createSignalingServer({ port: 0, ...serverOptions })
  const dir = await mkdtemp(join(tmpdir(), 'ferry-test-'))
  const clients: FerryClient[] = []
  return {
    server,
    dir,
    async client(userId, options = {}) {
      const { downloadDir, ...rest } = options
      const client = new FerryClient({
        url: server.url,
        userId,
        platform: nodePlatform({
          wrtc,
          downloadDir: downloadDir ?? join(dir, userId),
          mediaDir: join(dir, 'media'),
        }),
        ...rest,
      })
      clients.push(client)
      await client.connect()
      return client
    },
    async close() {
      for (const client of clients.reverse()) await client.close()
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export type ClientOptions = Partial<FerryOptions> & { downloadDir?: string }

/**
 * Registers hooks that start a harness before the file's tests and log in one client per entry of
 * `users` (in order, with its options), and close everything after. The returned object holds the
 * harness as `h` and each client under its user id once the hooks have run.
 */
export function useClients<const U extends string>(
  users: Record<U, ClientOptions>,
  serverOptions: Partial<SignalingServerOptions> = {},
): { h: Harness } & Record<U, FerryClient> {
  const context = {} as { h: Harness } & Record<U, FerryClient>
  before(async () => {
    context.h = await harness(serverOptions)
    for (const [name, options] of Object.entries(users) as [U, ClientOptions][]) {
      ;(context as Record<U, FerryClient>)[name] = await context.h.client(name, options)
    }
  })
  after(() => context.h.close())
  return context
}

/** Resolves with the next `type` event that passes `match`, or rejects after `timeoutMs`. */
export function next<K extends keyof FerryEvents>(
  client: FerryClient,
  type: K,
  match: (event: FerryEvents[K]) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<FerryEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no ${String(type)} event within ${timeoutMs} ms`))
    }, timeoutMs)
    const off = client.on(type, (event) => {
      if (!match(event)) return
      clearTimeout(timer)
      off()
      resolve(event)
    })
  })
}

/** Collects every `type` event until the returned function is called. */
export function collect<K extends keyof FerryEvents>(client: FerryClient, type: K): FerryEvents[K][] {
  const events: FerryEvents[K][] = []
  client.on(type, (event) => events.push(event))
  return events
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

export async function sha256File(path: string): Promise<string> {
  return sha256(await readFile(path))
}

/** Writes `size` random bytes to a new file in `dir` without holding them all in memory; returns path and hash. */
export async function randomFile(dir: string, name: string, size: number): Promise<{ path: string; sha256: string }> {
  const path = join(dir, name)
  const hash = createHash('sha256')
  const out = createWriteStream(path)
  const block = 1024 * 1024
  for (let written = 0; written < size; written += block) {
    const chunk = randomBytes(Math.min(block, size - written))
    hash.update(chunk)
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
  return { path, sha256: hash.digest('hex') }
}

/** Files in `dir` (none when it does not exist), including hidden `.part` files. */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}
