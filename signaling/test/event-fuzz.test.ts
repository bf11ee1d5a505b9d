import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { CLIENT_EVENTS, type ClientEventName } from '@ferry/protocol'
import fc from 'fast-check'
import { io, type Socket } from 'socket.io-client'
import { arbitraryOf } from '../../packages/protocol/test/schema-arbitrary.js'
import { startCli } from './cli-process.js'
import { type Client, login, openClient, request } from './harness.js'

/** Events the fuzz sends in all: every event name gets a few hundred, in a few seconds on a quiet machine. */
const FUZZ_EVENTS = 3000

/** The fuzz stops sending after this long even if it has not sent them all (a loaded machine is slow). */
const FUZZ_MAX_MS = 60_000

/** Fuzzing clients at once; each is replaced when the server cuts it off. */
const CLIENTS = 4

/** Values drawn per schema and for garbage, up front; events pick among them. */
const POOL = 200

/** How long an event's ack may take before the client moves on (a cut-off client never answers). */
const ACK_WAIT_MS = 500

const EVENTS = Object.keys(CLIENT_EVENTS) as ClientEventName[]

/** Values that have broken servers before: objects whose conversion to a string throws, prototypes, depth. */
const HOSTILE: unknown[] = [
  { toString: 1, valueOf: 1 },
  { toString: { toString: 1 } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  { length: 4_000_000 },
  [[[[[[[[[[[]]]]]]]]]]],
  JSON.parse(`${'['.repeat(1000)}${']'.repeat(1000)}`),
  '\u0000'.repeat(100),
  Number.MAX_VALUE,
  -0,
  new Uint8Array(0),
]
/** Names the server does not know: they must cost the sender, not the server. */
const UNKNOWN_EVENTS = ['hello', 'relay:frames', 'session:ready', '__proto__', 'constructor', 'x'.repeat(200)]

test('random and garbage payloads for every event never stop the CLI server', async (t) => {
  const seed = Number(process.env.FERRY_FUZZ_SEED ?? Date.now() % 2 ** 31)
  const dir = await mkdtemp(join(tmpdir(), 'ferry-fuzz-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const cli = await startCli(t, ['--media-dir', join(dir, 'media'), '--state-dir', join(dir, 'state')])

  const random = fc.sample(fc.integer(), { numRuns: 1, seed })[0] ?? 0
  const rng = mulberry32(random)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T
  const valid = new Map(
    EVENTS.map((event) => [
      event,
      CLIENT_EVENTS[event].args.map((schema) => fc.sample(arbitraryOf(schema), { numRuns: POOL, seed })),
    ]),
  )
  const garbage = fc.sample(
    fc.oneof(
      fc.anything({ withObjectString: true, withTypedArray: true, maxDepth: 4 }),
      fc.uint8Array({ maxLength: 4096 }),
      fc.string({ maxLength: 2048 }),
    ),
    { numRuns: POOL, seed: seed + 1 },
  )

  /** A valid payload, or one with a field replaced by something hostile or by garbage. */
  const mutate = (value: unknown): unknown => {
    if (rng() < 0.5 || typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
    const keys = Object.keys(value)
    if (keys.length === 0) return value
    return { ...value, [pick(keys)]: rng() < 0.5 ? pick(HOSTILE) : pick(garbage) }
  }

  let users = 0
  let sent = 0
  const deadline = Date.now() + FUZZ_MAX_MS
  const open = async (): Promise<Socket | undefined> => {
    while (cli.exit === undefined && Date.now() < deadline) {
      const client = openClient(cli.url, { userId: `fuzz-${users++}`, presence: ['fuzz-0', 'fuzz-1'] })
      try {
        await login(client)
        return client as unknown as Socket
      } catch {
        client.close()
        // Refused (a login budget, most likely): the server is fine, wait for the budget to refill.
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    return undefined
  }

  const fuzzer = async (): Promise<void> => {
    let client = await open()
    while (client !== undefined && sent < FUZZ_EVENTS && Date.now() < deadline && cli.exit === undefined) {
      if (client.disconnected) {
        client.close()
        client = await open()
        if (client === undefined) return
      }
      const known = rng() < 0.9
      const event = known ? pick(EVENTS) : pick(UNKNOWN_EVENTS)
      const pools = known ? (valid.get(event as ClientEventName) ?? []) : []
      const count = Math.floor(rng() * 4)
      const args = Array.from({ length: known && rng() < 0.6 ? pools.length : count }, (_, i) =>
        known && rng() < 0.6 && pools[i] ? mutate(pick(pools[i] ?? [])) : rng() < 0.2 ? pick(HOSTILE) : pick(garbage),
      )
      sent++
      if (rng() < 0.7)
        await client
          .timeout(ACK_WAIT_MS)
          .emitWithAck(event, ...args)
          .catch(() => undefined)
      else {
        client.emit(event, ...args)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
    }
    client?.close()
  }
  await Promise.all(Array.from({ length: CLIENTS }, fuzzer))

  assert.equal(cli.exit, undefined, `the server exited (seed ${seed}): ${cli.stderr().slice(-2000)}`)
  // The CLI's safety net keeps it serving through a bug, and says so: no bug may have slipped through.
  assert.doesNotMatch(cli.stderr(), /uncaught|unhandled rejection/, `seed ${seed}`)
  t.diagnostic(`${sent} events from ${users} users (seed ${seed})`)
  const health = await fetch(`${cli.url}/healthz`)
  assert.equal(health.status, 200)
  // A well-behaved pair is still served.
  const alice: Client = io(cli.url, { auth: { userId: 'alice' }, transports: ['websocket'], reconnection: false })
  const bob: Client = io(cli.url, { auth: { userId: 'bob' }, transports: ['websocket'], reconnection: false })
  t.after(() => {
    alice.close()
    bob.close()
  })
  await Promise.all([login(alice), login(bob)])
  assert.deepEqual(await request(alice, 'link:request', { to: 'bob' }), { ok: true }, `seed ${seed}`)
})

/** A small seeded PRNG, so a failing run can be replayed with FERRY_FUZZ_SEED. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
