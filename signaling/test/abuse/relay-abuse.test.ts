import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  type Frame,
  MAX_RELAY_TRANSFERS_PER_USER,
  RELAY_USER_WINDOW_BYTES,
  RELAY_WINDOW_LIMIT_BYTES,
} from '@ferry/protocol'
import { type Client, login, openClient } from '../harness.js'
import { CHUNK_DATA_BYTES, cutOff, decoded, relay, waitUntil } from '../relay-peers.js'
import { type AbuseScene, abuseScene } from './abuse-scene.js'

/**
 * Senders that try to push more through the relay than the window lets them, each against receivers
 * that never ack (so everything forwarded is what the server could be holding for them). Each case
 * says what the abuser sees (the `session:ended` code, or none), how many chunk bytes the server
 * forwarded for it at most, the documented bound that number stays within, and then the scene checks
 * that the server still serves and a well-behaved pair still works.
 */

/** Chunks in one transfer's window, and in one user's total: the server forwards exactly this many. */
const WINDOW_CHUNKS = RELAY_WINDOW_LIMIT_BYTES / CHUNK_DATA_BYTES
const USER_CHUNKS = RELAY_USER_WINDOW_BYTES / CHUNK_DATA_BYTES

/** One chunk's data, shared by every chunk the abusers send: what it holds does not matter here. */
const DATA = new Uint8Array(CHUNK_DATA_BYTES).fill(7)

const chunk = (taskId: number, offset: number, data = DATA): Frame => ({ type: 'chunk', taskId, offset, data })

interface Cast {
  /** Logs in users named after the case; all are closed after it. */
  users(...names: string[]): Promise<Client[]>
  /** Chunk bytes `to` received from `from` so far. */
  forwarded(from: string, to: string): number
  id(name: string): string
}

interface AbuseCase {
  name: string
  /** What the abuser sees: its `session:ended` code, or `none`. */
  code: string
  /** Chunk bytes the server forwards for the abuser, all it could be holding for it... */
  forwardedBytes: number
  /** ...within this documented bound. */
  boundBytes: number
  run(cast: Cast): Promise<string>
}

const cases: AbuseCase[] = [
  {
    name: 'chunks repeated at offset 0 of one transfer',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let i = 0; i <= WINDOW_CHUNKS; i++) relay(mallory!, id('victim'), chunk(1, 0))
      })
    },
  },
  {
    name: 'chunks going back and forth over the same offsets',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let i = 0; i <= WINDOW_CHUNKS; i++) relay(mallory!, id('victim'), chunk(1, (i % 3) * CHUNK_DATA_BYTES))
      })
    },
  },
  {
    name: 'a cancel between chunks, then more chunks of the same transfer',
    code: 'protocol-error',
    forwardedBytes: 10 * CHUNK_DATA_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let i = 0; i < 10; i++) relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
        relay(mallory!, id('victim'), { type: 'cancel', taskId: 1, origin: 'sender' })
        for (let i = 0; i < 10; i++) relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
      })
    },
  },
  {
    name: 'a cancel after every window, each time under a new task id',
    code: 'window-exceeded',
    forwardedBytes: RELAY_USER_WINDOW_BYTES,
    boundBytes: RELAY_USER_WINDOW_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let sent = 0, taskId = 1; sent <= USER_CHUNKS; taskId++) {
          for (let i = 0; i < WINDOW_CHUNKS - 5 && sent <= USER_CHUNKS; i++, sent++) {
            relay(mallory!, id('victim'), chunk(taskId, i * CHUNK_DATA_BYTES))
          }
          relay(mallory!, id('victim'), { type: 'error', taskId, origin: 'sender', code: 'cancelled', message: '' })
        }
      })
    },
  },
  {
    name: 'many task ids at once, each within its window, past the user total',
    code: 'window-exceeded',
    forwardedBytes: RELAY_USER_WINDOW_BYTES,
    boundBytes: RELAY_USER_WINDOW_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      const perTask = USER_CHUNKS / 4
      return until(mallory, () => {
        for (let taskId = 1; taskId <= 5; taskId++) {
          for (let i = 0; i < perTask; i++) relay(mallory!, id('victim'), chunk(taskId, i * CHUNK_DATA_BYTES))
        }
      })
    },
  },
  {
    name: 'the user total spread over several receivers',
    code: 'window-exceeded',
    forwardedBytes: RELAY_USER_WINDOW_BYTES,
    boundBytes: RELAY_USER_WINDOW_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim', 'victim2')
      return until(mallory, () => {
        for (let i = 0; i <= USER_CHUNKS; i++) {
          const to = i % 2 === 0 ? id('victim') : id('victim2')
          relay(mallory!, to, chunk(1 + (i % 8), Math.floor(i / 8) * CHUNK_DATA_BYTES))
        }
      })
    },
  },
  {
    name: 'more transfers at once than the relay tracks, each a few bytes',
    code: 'too-many-tasks',
    forwardedBytes: MAX_RELAY_TRANSFERS_PER_USER * 16,
    boundBytes: RELAY_USER_WINDOW_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let taskId = 1; taskId <= MAX_RELAY_TRANSFERS_PER_USER + 1; taskId++) {
          relay(mallory!, id('victim'), chunk(taskId, 0, DATA.subarray(0, 16)))
        }
      })
    },
  },
  {
    name: 'chunks under the task id of another user’s transfer to the same receiver',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory, victim, bob] = await users('mallory', 'victim', 'bob')
      // The victim acks bob's task 1 as it arrives; none of that is mallory's.
      let fromBob = 0
      victim!.on('relay:frame', ({ from }, bytes) => {
        const frame = decoded(new Uint8Array(bytes))
        if (from !== id('bob') || frame.type !== 'chunk') return
        fromBob += frame.data.length
        relay(victim!, from, { type: 'ack', taskId: 1, received: fromBob })
      })
      bob!.on('session:ended', ({ code }) => assert.fail(`bob was cut off: ${code}`))
      const code = await until(mallory, () => {
        for (let i = 0; i <= WINDOW_CHUNKS; i++) {
          if (i % 8 === 0) relay(bob!, id('victim'), chunk(1, (i / 8) * CHUNK_DATA_BYTES))
          relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
        }
      })
      await waitUntil(() => fromBob === Math.ceil((WINDOW_CHUNKS + 1) / 8) * CHUNK_DATA_BYTES, 'bob’s chunks')
      assert.ok(bob!.connected, 'bob goes on')
      return code
    },
  },
  {
    name: 'acks, end-acks and receiver cancels forged by the sender for its own transfer',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let i = 0; i <= WINDOW_CHUNKS; i++) {
          relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
          relay(mallory!, id('victim'), { type: 'ack', taskId: 1, received: (i + 1) * CHUNK_DATA_BYTES })
          relay(mallory!, id('victim'), { type: 'end-ack', taskId: 1 })
          relay(mallory!, id('victim'), { type: 'cancel', taskId: 1, origin: 'receiver' })
        }
      })
    },
  },
  {
    name: 'acks and ends relayed to the sender by an accomplice that is not its receiver',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id, forwarded }) {
      const [mallory, , accomplice] = await users('mallory', 'victim', 'accomplice')
      const half = Math.floor(WINDOW_CHUNKS / 2)
      for (let i = 0; i < half; i++) relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
      await waitUntil(() => forwarded('mallory', 'victim') === half * CHUNK_DATA_BYTES, 'half a window')
      // Mid-transfer, the accomplice credits task 1 every way a receiver could.
      let credits = 0
      mallory!.on('relay:frame', () => credits++)
      for (let i = 1; i <= 10; i++) {
        relay(accomplice!, id('mallory'), { type: 'ack', taskId: 1, received: i * half * CHUNK_DATA_BYTES })
        relay(accomplice!, id('mallory'), { type: 'resume', taskId: 1, origin: 'receiver', offset: 0 })
        relay(accomplice!, id('mallory'), { type: 'end-ack', taskId: 1 })
      }
      await waitUntil(() => credits === 30, 'the accomplice’s frames reaching mallory')
      return until(mallory, () => {
        for (let i = half; i <= WINDOW_CHUNKS; i++) relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
      })
    },
  },
  {
    name: 'resume requests and answers of its own between every chunk',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory] = await users('mallory', 'victim')
      return until(mallory, () => {
        for (let i = 0; i <= WINDOW_CHUNKS; i++) {
          relay(mallory!, id('victim'), { type: 'resume', taskId: 1, origin: 'sender', offset: 0 })
          relay(mallory!, id('victim'), { type: 'resume', taskId: 1, origin: 'receiver', offset: 0 })
          relay(mallory!, id('victim'), chunk(1, 0))
        }
      })
    },
  },
  {
    name: 'frames sent after the one that broke the window',
    code: 'window-exceeded',
    forwardedBytes: RELAY_WINDOW_LIMIT_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id, forwarded }) {
      const [mallory, victim] = await users('mallory', 'victim')
      let cmds = 0
      victim!.on('relay:frame', (_, bytes) => {
        if (decoded(new Uint8Array(bytes)).type === 'cmd') cmds++
      })
      const code = await until(mallory, () => {
        for (let i = 0; i <= WINDOW_CHUNKS; i++) relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
        for (let i = 0; i < 20; i++) {
          relay(mallory!, id('victim'), { type: 'cmd', taskId: 100 + i, text: false, payload: DATA })
          relay(mallory!, id('victim'), chunk(200 + i, 0))
        }
      })
      await waitUntil(
        () => forwarded('mallory', 'victim') === RELAY_WINDOW_LIMIT_BYTES,
        'the window reaching the victim',
      )
      await new Promise((resolve) => setTimeout(resolve, 100))
      assert.equal(cmds, 0, 'nothing after the cut-off was relayed')
      return code
    },
  },
  {
    name: 'chunks of a transfer its receiver already ended',
    code: 'none',
    forwardedBytes: CHUNK_DATA_BYTES,
    boundBytes: RELAY_WINDOW_LIMIT_BYTES,
    async run({ users, id }) {
      const [mallory, victim] = await users('mallory', 'victim')
      victim!.on('relay:frame', ({ from }, bytes) => {
        const frame = decoded(new Uint8Array(bytes))
        if (frame.type === 'chunk') {
          relay(victim!, from, { type: 'error', taskId: 1, origin: 'receiver', code: 'storage-full', message: '' })
        }
      })
      const ended = new Promise<void>((resolve) => mallory!.on('relay:frame', () => resolve()))
      relay(mallory!, id('victim'), chunk(1, 0))
      await ended
      // Twice a window more, never acked: dropped, not forwarded, not counted.
      for (let i = 1; i <= 2 * WINDOW_CHUNKS; i++) relay(mallory!, id('victim'), chunk(1, i * CHUNK_DATA_BYTES))
      const marker = new Promise<void>((resolve) =>
        victim!.on('relay:frame', (_, bytes) => {
          if (decoded(new Uint8Array(bytes)).type === 'end-ack') resolve()
        }),
      )
      relay(mallory!, id('victim'), { type: 'end-ack', taskId: 99 })
      await marker
      assert.ok(mallory!.connected)
      return 'none'
    },
  },
]

/** Runs `abuse` and resolves with the code the server cut `abuser` off with. */
async function until(abuser: Client | undefined, abuse: () => void): Promise<string> {
  const ended = cutOff(abuser!)
  abuse()
  return (await ended).code
}

describe('relay abuse: what a sender can push through the server, against receivers that never ack', () => {
  let scene: AbuseScene
  let round = 0
  before(async () => {
    scene = await abuseScene()
  })
  after(() => scene.close())

  for (const abuse of cases) {
    test(abuse.name, async () => {
      const n = ++round
      const clients: Client[] = []
      const received = new Map<string, number>()
      const id = (name: string): string => `${name}-${n}`
      const cast: Cast = {
        id,
        async users(...names) {
          const logged = names.map((name) => {
            const client = openClient(scene.url, { userId: id(name) })
            clients.push(client)
            client.on('relay:frame', ({ from }, bytes) => {
              const frame = decoded(new Uint8Array(bytes))
              if (frame.type !== 'chunk') return
              const key = `${from}>${id(name)}`
              received.set(key, (received.get(key) ?? 0) + frame.data.length)
            })
            return client
          })
          await Promise.all(logged.map((client) => login(client)))
          return logged
        },
        forwarded: (from, to) => received.get(`${id(from)}>${id(to)}`) ?? 0,
      }
      try {
        assert.equal(await abuse.run(cast), abuse.code)
        const fromMallory = (): number =>
          [...received].reduce((sum, [key, bytes]) => (key.startsWith(`${id('mallory')}>`) ? sum + bytes : sum), 0)
        await waitUntil(() => fromMallory() === abuse.forwardedBytes, `${abuse.forwardedBytes} bytes forwarded`)
        // Nothing more trickles in later.
        await new Promise((resolve) => setTimeout(resolve, 100))
        assert.equal(fromMallory(), abuse.forwardedBytes)
        assert.ok(abuse.forwardedBytes <= abuse.boundBytes)
      } finally {
        for (const client of clients) client.close()
      }
      await scene.assertHealthy()
    })
  }
})
