import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import {
  DEFAULT_MAX_BUFFER_BYTES,
  type FerryErrorCode,
  type Frame,
  MEDIA_TASK_ID_BASE,
  type StartFrame,
  type WireKind,
} from '@ferry/protocol'
import wrtc from '@roamhq/wrtc'
import { type AbuseScene, abuseScene, listTree } from '../../../../signaling/test/abuse/abuse-scene.js'
import { FerryClient } from '../../src/index.js'
import { newMediaId } from '../../src/media/media-id.js'
import { MAX_SERVED_MEDIA, MAX_SERVED_MEDIA_PER_PEER } from '../../src/media/peer-media.js'
import { nodePlatform } from '../../src/node/index.js'
import { MAX_INCOMING_PER_PEER } from '../../src/receiver.js'
import { next } from '../helpers.js'
import { store } from '../media-cache-contract.js'
import { RawPeer, within } from './raw-peer.js'

/**
 * The catalogue of what a malicious peer can send a Ferry client through the server's relay. The
 * attacker is a bare Socket.IO client that writes frames by hand; the victim a real Node client with
 * its own download and media directories. After each case: the attacker got the code in the table,
 * the victim still exchanges a cmd with a well-behaved peer, nothing was written to its directories,
 * nothing was allocated for sizes the attacker announced, and the scene's server checks hold.
 */

const MiB = 1024 * 1024
const VICTIM = 'victim'
const HONEST = 'honest'

/** The victim's in-memory budget for incoming buffers, across peers: small, so two peers can fill it. */
const BUFFER_MEMORY_BYTES = 4 * MiB
/** The victim's largest file. */
const MAX_FILE_BYTES = 1024 * MiB
/** Memory a case may leave grown, far below the sizes the attacks announce (512 MiB). */
const GROWTH_LIMIT_BYTES = 64 * MiB
/** Data bytes in one relayed chunk frame (the relay forwards frames of at most 256 KiB + 1 KiB). */
const CHUNK_BYTES = 256 * 1024

let scene: AbuseScene
let dir: string
let victim: FerryClient
let honest: FerryClient
let victimDownloads: string
let victimMedia: string
/** A media in the victim's cache, for the media-request cases. */
let cachedMediaId: string
let attackers = 0

before(async () => {
  scene = await abuseScene()
  dir = await mkdtemp(join(tmpdir(), 'ferry-peer-abuse-'))
  victimDownloads = join(dir, 'victim-downloads')
  victimMedia = join(dir, 'victim-media')
  const platform = nodePlatform({ wrtc, downloadDir: victimDownloads, mediaDir: victimMedia })
  victim = new FerryClient({
    url: scene.url,
    userId: VICTIM,
    transport: 'relay',
    platform,
    maxBufferMemoryBytes: BUFFER_MEMORY_BYTES,
    maxFileBytes: MAX_FILE_BYTES,
  })
  honest = new FerryClient({
    url: scene.url,
    userId: HONEST,
    transport: 'relay',
    platform: nodePlatform({ wrtc, downloadDir: join(dir, 'honest-downloads'), mediaDir: join(dir, 'honest-media') }),
  })
  await Promise.all([victim.connect(), honest.connect()])
  const cached = await store(platform.createMediaCache(VICTIM), new Uint8Array(randomBytes(100_000)), {
    uploader: VICTIM,
  })
  cachedMediaId = cached.mediaId
})

after(async () => {
  await Promise.all([victim.close(), honest.close()])
  await scene.close()
  await rm(dir, { recursive: true, force: true })
})

interface Context {
  /** A fresh attacker for this case. */
  attacker: RawPeer
  /** More fresh attackers, for cases that need several peers. */
  more(count: number): Promise<RawPeer[]>
}

interface Abuse {
  name: string
  /**
   * The code the attacker gets back in an error frame, or `nothing` when the victim owes it no answer
   * (then no error frame may come back before the end-ack of a probe sent after the abuse).
   */
  expected: FerryErrorCode | 'nothing'
  /** Does the abuse; resolves with the code the attacker got back (or `nothing`), once the victim is done with it. */
  run(context: Context): Promise<FerryErrorCode | 'nothing'>
}

function start(taskId: number, kind: WireKind, size: number, name = 'x.bin'): StartFrame {
  return { type: 'start', taskId, kind, size, name, mime: 'application/octet-stream' }
}

function chunk(taskId: number, offset: number, length: number): Frame {
  return { type: 'chunk', taskId, offset, data: new Uint8Array(length).fill(7) }
}

function cancelled(taskId: number): Frame {
  return { type: 'cancel', taskId, origin: 'sender' }
}

function mediaRequest(taskId: number, mediaId = cachedMediaId, offset = 0): Frame {
  return { type: 'media-request', taskId, mediaId, offset }
}

/** No error frame came back for `taskIds` before the end-ack of a probe sent after them. */
async function nothingFor(attacker: RawPeer, ...taskIds: number[]): Promise<FerryErrorCode | 'nothing'> {
  await attacker.probe(VICTIM)
  const error = attacker.framesFor(...taskIds).find((frame) => frame.type === 'error')
  return error?.type === 'error' ? error.code : 'nothing'
}

/** Cancels the attacker's transfers `taskIds` and waits until the victim has dropped each of them. */
async function dropTransfers(attacker: RawPeer, ...taskIds: number[]): Promise<void> {
  const failed = new Set<string>()
  const all = new Promise<void>((resolve) => {
    const off = victim.on('receive-failed', ({ from, taskId }) => {
      if (from !== attacker.userId) return
      failed.add(taskId)
      if (taskIds.every((id) => failed.has(String(id)))) {
        off()
        resolve()
      }
    })
  })
  attacker.send(VICTIM, ...taskIds.map(cancelled))
  await within(all, `the victim dropping ${taskIds.length} transfers`)
}

/** Ends what the victim serves to `attacker` under `taskIds`, as a receiver that gives up. */
function stopServing(attacker: RawPeer, taskIds: number[]): void {
  attacker.send(VICTIM, ...taskIds.map((taskId): Frame => ({ type: 'cancel', taskId, origin: 'receiver' })))
}

const ABUSES: Abuse[] = [
  {
    name: 'a peer announces a 512 MiB buffer and sends nothing; only its own next buffer is refused',
    expected: 'storage-full',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'buffer', DEFAULT_MAX_BUFFER_BYTES))
      assert.equal(await nothingFor(attacker, 1), 'nothing', 'announcing is allowed')
      attacker.send(VICTIM, start(2, 'buffer', 1))
      const code = await attacker.errorFor(2)
      const arrived = next(victim, 'buffer', ({ from }) => from === HONEST)
      const bytes = new Uint8Array(randomBytes(MiB))
      await honest.sendBuffer(VICTIM, bytes).done
      assert.deepEqual((await arrived).data, bytes, "an honest peer's buffer still arrives")
      await dropTransfers(attacker, 1)
      return code
    },
  },
  {
    name: 'a peer announces a buffer over maxBufferBytes',
    expected: 'buffer-too-large',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'buffer', DEFAULT_MAX_BUFFER_BYTES + 1))
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer announces a file over maxFileBytes',
    expected: 'file-too-large',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'file', MAX_FILE_BYTES + 1))
      return attacker.errorFor(1)
    },
  },
  {
    name: `a peer opens ${MAX_INCOMING_PER_PEER + 1} transfers at once`,
    expected: 'too-many-tasks',
    async run({ attacker }) {
      const ids = Array.from({ length: MAX_INCOMING_PER_PEER + 1 }, (_, i) => i + 1)
      attacker.send(VICTIM, ...ids.map((id) => start(id, 'file', 10)))
      const code = await attacker.errorFor(ids.at(-1)!)
      const admitted = ids.slice(0, -1)
      assert.equal(await nothingFor(attacker, ...admitted), 'nothing', `the first ${admitted.length} run`)
      await dropTransfers(attacker, ...admitted)
      return code
    },
  },
  {
    name: 'a peer starts a second transfer under the id of a running one',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'buffer', 10), start(1, 'buffer', 10))
      const code = await attacker.errorFor(1)
      await dropTransfers(attacker, 1)
      return code
    },
  },
  {
    name: 'a peer sends a chunk at an offset it has not reached',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'buffer', 1000), chunk(1, 10, 10))
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer sends a chunk past the size it announced',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'file', 1000), chunk(1, 0, 1001))
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer sends an empty chunk',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'buffer', 1000), chunk(1, 0, 0))
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer ends a file before every byte arrived',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'file', 1000), chunk(1, 0, 500), {
        type: 'end',
        taskId: 1,
        sha256: new Uint8Array(32),
      })
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer ends a file with a SHA-256 that is not its bytes’, under a name that climbs out',
    expected: 'integrity-mismatch',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'file', 1000, '../../../CON.txt'), chunk(1, 0, 1000), {
        type: 'end',
        taskId: 1,
        sha256: new Uint8Array(32),
      })
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer ends a transfer it never started',
    expected: 'unknown-task',
    async run({ attacker }) {
      attacker.send(VICTIM, { type: 'end', taskId: 1, sha256: new Uint8Array(32) })
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer asks where to resume a transfer it never started',
    expected: 'unknown-task',
    async run({ attacker }) {
      attacker.send(VICTIM, { type: 'resume', taskId: 1, origin: 'sender', offset: 12345 })
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer starts a media transfer under a transfer’s task id',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, start(1, 'media', DEFAULT_MAX_BUFFER_BYTES, cachedMediaId))
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer answers a media request nobody made',
    expected: 'unknown-task',
    async run({ attacker }) {
      const taskId = MEDIA_TASK_ID_BASE + 1
      attacker.send(VICTIM, start(taskId, 'media', DEFAULT_MAX_BUFFER_BYTES, newMediaId()), chunk(taskId, 0, 1000))
      return attacker.errorFor(taskId)
    },
  },
  {
    name: 'a peer sends a text cmd that is not UTF-8',
    expected: 'protocol-error',
    async run({ attacker }) {
      attacker.send(VICTIM, { type: 'cmd', taskId: 1, text: true, payload: new Uint8Array([0xff, 0xfe, 0xc3]) })
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer sends a message that does not decode',
    expected: 'protocol-error',
    async run({ attacker }) {
      const payload = new Uint8Array([0, 0, 0, 200, ...new TextEncoder().encode('{"type":"text"')])
      attacker.send(VICTIM, { type: 'message', taskId: 1, payload })
      return attacker.errorFor(1)
    },
  },
  {
    name: 'a peer asks for a media the victim does not hold',
    expected: 'media-not-found',
    async run({ attacker }) {
      attacker.send(VICTIM, mediaRequest(MEDIA_TASK_ID_BASE + 1, newMediaId()))
      return attacker.errorFor(MEDIA_TASK_ID_BASE + 1)
    },
  },
  {
    name: 'a peer asks for a media from its middle',
    expected: 'invalid-argument',
    async run({ attacker }) {
      attacker.send(VICTIM, mediaRequest(MEDIA_TASK_ID_BASE + 1, cachedMediaId, 5))
      return attacker.errorFor(MEDIA_TASK_ID_BASE + 1)
    },
  },
  {
    name: 'a peer asks 65 times at once for a media the victim holds',
    expected: 'too-many-tasks',
    async run({ attacker }) {
      const ids = Array.from({ length: 65 }, (_, i) => MEDIA_TASK_ID_BASE + 1 + i)
      attacker.send(VICTIM, ...ids.map((id) => mediaRequest(id)))
      const code = await attacker.errorFor(ids.at(-1)!)
      const served = ids.slice(0, MAX_SERVED_MEDIA_PER_PEER)
      for (const id of served) await attacker.next((f) => f.type === 'start' && f.taskId === id, `media ${id} served`)
      await attacker.probe(VICTIM)
      const refused = attacker.frames.filter((f) => f.type === 'error' && f.code === 'too-many-tasks')
      assert.equal(refused.length, ids.length - served.length)
      stopServing(attacker, served)
      assert.equal(victim.state, 'connected', 'the server did not cut the victim off')
      return code
    },
  },
  {
    name: `five peers ask for media at once, ${MAX_SERVED_MEDIA_PER_PEER} each`,
    expected: 'too-many-tasks',
    async run({ attacker, more }) {
      const peers = [attacker, ...(await more(4))]
      const ids = Array.from({ length: MAX_SERVED_MEDIA_PER_PEER }, (_, i) => MEDIA_TASK_ID_BASE + 1 + i)
      for (const peer of peers) peer.send(VICTIM, ...ids.map((id) => mediaRequest(id)))
      const answers = await Promise.all(
        peers.flatMap((peer) =>
          ids.map(async (id) => {
            const frame = await peer.next((f) => f.taskId === id && (f.type === 'start' || f.type === 'error'), `${id}`)
            return { peer, id, frame }
          }),
        ),
      )
      const served = answers.filter(({ frame }) => frame.type === 'start')
      const refused = answers.flatMap(({ frame }) => (frame.type === 'error' ? [frame.code] : []))
      assert.equal(served.length, MAX_SERVED_MEDIA)
      assert.equal(refused.length, peers.length * ids.length - MAX_SERVED_MEDIA)
      for (const { peer, id } of served) stopServing(peer, [id])
      assert.equal(new Set(refused).size, 1)
      return refused[0]!
    },
  },
  {
    name: 'two peers together fill the memory for incoming buffers',
    expected: 'storage-full',
    async run({ attacker, more }) {
      const [second] = await more(1)
      const first = BUFFER_MEMORY_BYTES - MiB
      attacker.send(VICTIM, start(1, 'buffer', first))
      for (let offset = 0; offset < first; offset += CHUNK_BYTES) attacker.send(VICTIM, chunk(1, offset, CHUNK_BYTES))
      await attacker.next((f) => f.type === 'ack' && f.taskId === 1 && f.received === first, 'the first buffer stored')
      second!.send(VICTIM, start(1, 'buffer', 2 * MiB))
      for (let offset = 0; offset <= MiB; offset += CHUNK_BYTES) second!.send(VICTIM, chunk(1, offset, CHUNK_BYTES))
      const code = await second!.errorFor(1)
      const stored = second!.frames.filter((f) => f.type === 'ack').map((f) => (f.type === 'ack' ? f.received : 0))
      assert.ok(Math.max(0, ...stored) <= MiB, 'no more was stored than the memory left')
      await dropTransfers(attacker, 1)
      return code
    },
  },
  {
    name: 'a peer ends its own transfer with a code about the victim’s session',
    expected: 'nothing',
    async run({ attacker }) {
      const failed = next(victim, 'receive-failed', ({ from }) => from === attacker.userId)
      attacker.send(VICTIM, start(1, 'file', 1000), chunk(1, 0, 500), {
        type: 'error',
        taskId: 1,
        origin: 'sender',
        code: 'bad-token',
        message: 'log in again',
      })
      assert.equal((await failed).code, 'protocol-error', 'the victim does not take bad-token from a peer')
      return nothingFor(attacker, 1)
    },
  },
  {
    name: 'a peer acks, confirms, resumes and fails tasks the victim never sent',
    expected: 'nothing',
    async run({ attacker }) {
      attacker.send(
        VICTIM,
        { type: 'ack', taskId: 1, received: 2 ** 40 },
        { type: 'end-ack', taskId: 2 },
        { type: 'resume', taskId: 3, origin: 'receiver', offset: 99 },
        { type: 'error', taskId: 4, origin: 'receiver', code: 'storage-full', message: '' },
        { type: 'cancel', taskId: 5, origin: 'receiver' },
        { type: 'ack', taskId: MEDIA_TASK_ID_BASE + 1, received: 10 },
        { type: 'end-ack', taskId: MEDIA_TASK_ID_BASE + 2 },
      )
      return nothingFor(attacker, 1, 2, 3, 4, 5, MEDIA_TASK_ID_BASE + 1, MEDIA_TASK_ID_BASE + 2)
    },
  },
  {
    name: 'a peer cancels and fails transfers it never started',
    expected: 'nothing',
    async run({ attacker }) {
      attacker.send(VICTIM, cancelled(1), {
        type: 'error',
        taskId: 2,
        origin: 'sender',
        code: 'unknown',
        message: 'x'.repeat(1000),
      })
      return nothingFor(attacker, 1, 2)
    },
  },
  {
    name: 'a peer sends a thousand cmds at once',
    expected: 'nothing',
    async run({ attacker }) {
      const payload = new Uint8Array(1000)
      const ids = Array.from({ length: 1000 }, (_, i) => i + 1)
      attacker.send(VICTIM, ...ids.map((taskId): Frame => ({ type: 'cmd', taskId, text: false, payload })))
      const code = await nothingFor(attacker, ...ids)
      const confirmed = attacker.frames.filter((f) => f.type === 'end-ack' && ids.includes(f.taskId))
      assert.equal(confirmed.length, ids.length, 'every cmd is confirmed')
      return code
    },
  },
]

for (const abuse of ABUSES) {
  test(`${abuse.name}: ${abuse.expected}`, async () => {
    const downloadsBefore = await listTree(victimDownloads)
    const mediaBefore = await listTree(victimMedia)
    const opened: RawPeer[] = []
    const login = async () => {
      const peer = await RawPeer.login(scene.url, `mallory-${++attackers}`)
      opened.push(peer)
      return peer
    }
    const memoryBefore = process.memoryUsage()
    try {
      const attacker = await login()
      const more = (count: number) => Promise.all(Array.from({ length: count }, login))
      assert.equal(await abuse.run({ attacker, more }), abuse.expected)
      const memoryAfter = process.memoryUsage()
      for (const kind of ['arrayBuffers', 'rss'] as const) {
        const grew = memoryAfter[kind] - memoryBefore[kind]
        assert.ok(grew < GROWTH_LIMIT_BYTES, `${kind} grew by ${(grew / MiB).toFixed(1)} MiB`)
      }
      for (const peer of opened) assert.ok(peer.connected, 'the server relayed the abuse without cutting anyone off')
    } finally {
      for (const peer of opened) peer.close()
    }
    await assertVictimWorks()
    await eventually(
      async () =>
        same(await listTree(victimDownloads), downloadsBefore) && same(await listTree(victimMedia), mediaBefore),
      'the victim’s download and media directories as before',
    )
    await scene.assertHealthy()
  })
}

/** The victim and a well-behaved peer exchange a cmd both ways. */
async function assertVictimWorks(): Promise<void> {
  assert.equal(victim.state, 'connected')
  const atVictim = next(victim, 'cmd', ({ from }) => from === HONEST)
  await honest.sendCmd(VICTIM, 'still there?').done
  assert.equal((await atVictim).data, 'still there?')
  const atHonest = next(honest, 'cmd', ({ from }) => from === VICTIM)
  await victim.sendCmd(HONEST, 'yes').done
  assert.equal((await atHonest).data, 'yes')
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i])
}

/** Resolves once `check` holds (files are removed after a transfer ends, not with its end event). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 15 s`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
