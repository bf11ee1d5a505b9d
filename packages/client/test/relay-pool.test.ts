import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { decodeFrame, type Frame, MAX_RELAY_TRANSFERS_PER_USER, RELAY_USER_WINDOW_BYTES } from '@ferry/protocol'
import { RelayWindows } from '@ferry/signaling'
import { bufferSource } from '../src/buffer-source.js'
import { OutgoingTransfer } from '../src/outgoing-transfer.js'
import type { PeerLink } from '../src/peer-link.js'
import { CLIENT_RELAY_HOLD_MS, RelayPool } from '../src/relay-pool.js'
import { SendQueue } from '../src/send-queue.js'
import type { Hasher } from '../src/types.js'

const never = (): void => {}

test('chunks take room from the pool, wait when it is full, and go once an ack gives some back', () => {
  const pool = new RelayPool(() => 100)
  const a = pool.charge({ state: 'open' }, 1)
  const b = pool.charge({ state: 'open' }, 2)
  let woken = 0
  assert.equal(a.take(0, 60, never), true)
  assert.equal(
    b.take(0, 60, () => woken++),
    false,
  )
  assert.equal(pool.chargedBytes, 60)
  // An ack gives back what it moves past the last one, and wakes whoever waits.
  a.credit(30)
  assert.equal(woken, 1)
  assert.equal(pool.chargedBytes, 30)
  assert.equal(b.take(0, 60, never), true)
  a.credit(30)
  a.credit(10)
  assert.equal(pool.chargedBytes, 90)
  // Never more than the transfer has out, however far the ack claims.
  a.credit(1_000_000)
  assert.equal(a.unackedBytes, 0)
  assert.equal(pool.chargedBytes, 60)
  // A transfer that succeeded gives everything back.
  b.release()
  assert.equal(pool.chargedBytes, 0)
  assert.equal(pool.transfers, 1)
})

test('one peer’s transfers hold at most their share of the pool; a peer holding nothing may send a chunk', () => {
  const pool = new RelayPool(() => 100)
  const stalled = { state: 'open' }
  const other = { state: 'open' }
  const first = pool.charge(stalled, 1)
  const second = pool.charge(stalled, 2)
  assert.equal(first.take(0, 30, never), true)
  assert.equal(second.take(0, 20, never), true)
  assert.equal(second.take(20, 10, never), false, 'a peer never acking gets no more than half')
  assert.equal(pool.charge(other, 1).take(0, 50, never), true, 'the other half is for everyone else')
  // However small the pool, a peer may have one chunk out.
  const tiny = new RelayPool(() => 10)
  assert.equal(tiny.charge({ state: 'open' }, 1).take(0, 8, never), true)
})

test('the window announced later applies at once', () => {
  let limit = 100
  const pool = new RelayPool(() => limit)
  const charge = pool.charge({ state: 'open' }, 1)
  assert.equal(charge.take(0, 150, never), false)
  limit = 200
  assert.equal(charge.take(0, 150, never), true)
})

test('the pool holds as many transfers at once as the server tracks, and no more', () => {
  const pool = new RelayPool(() => RELAY_USER_WINDOW_BYTES)
  const link = { state: 'open' }
  const charges = Array.from({ length: MAX_RELAY_TRANSFERS_PER_USER }, (_, i) => pool.charge(link, i + 1))
  for (const charge of charges) assert.equal(charge.take(0, 10, never), true)
  let woken = 0
  const extra = pool.charge(link, 1000)
  assert.equal(
    extra.take(0, 10, () => woken++),
    false,
  )
  // More chunks of a running transfer still go.
  assert.equal(charges[0]?.take(10, 10, never), true)
  charges[5]?.release()
  assert.equal(woken, 1)
  assert.equal(extra.take(0, 10, never), true)
})

test('a transfer this side ended stays charged until the receiver confirms, its link closes, or the hold passes', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const pool = new RelayPool(() => 1000, { peerShare: 1 })
  const link = { state: 'open' }
  const [a, b, c, d] = [1, 2, 3, 4].map((id) => pool.charge(link, id))
  for (const charge of [a, b, c, d]) assert.equal(charge?.take(0, 100, never), true)
  for (const charge of [a, b, c, d]) charge?.hold()
  assert.equal(pool.chargedBytes, 400)
  assert.equal(pool.transfers, 4)

  // Acks still arriving give back; the receiver's cancel, error or end-ack confirms.
  pool.onFrame(link, { type: 'ack', taskId: 1, received: 40 })
  assert.equal(pool.chargedBytes, 360)
  pool.onFrame(link, { type: 'cancel', taskId: 1, origin: 'receiver' })
  pool.onFrame(link, { type: 'error', taskId: 2, origin: 'receiver', code: 'cancelled', message: '' })
  // The sender's own frames, or frames about another task, confirm nothing.
  pool.onFrame(link, { type: 'cancel', taskId: 3, origin: 'sender' })
  pool.onFrame(link, { type: 'end-ack', taskId: 99 })
  pool.onFrame({ state: 'open' }, { type: 'end-ack', taskId: 3 })
  assert.equal(pool.chargedBytes, 200)
  pool.onFrame(link, { type: 'end-ack', taskId: 3 })
  assert.equal(pool.chargedBytes, 100)

  t.mock.timers.tick(CLIENT_RELAY_HOLD_MS - 1)
  assert.equal(pool.chargedBytes, 100)
  t.mock.timers.tick(1)
  assert.equal(pool.chargedBytes, 0)
  assert.equal(pool.transfers, 0)

  // A closed link ends what its transfers held, and a transfer ended on a closed link holds nothing.
  const other = { state: 'open' }
  const e = pool.charge(other, 5)
  e.take(0, 100, never)
  e.hold()
  other.state = 'closed'
  pool.onLinkClosed(other)
  const f = pool.charge(other, 6)
  f.take(0, 100, never)
  f.hold()
  assert.equal(pool.chargedBytes, 0)
  // An ended transfer sends nothing more.
  assert.equal(e.take(100, 10, never), false)
  // One that never relayed a chunk holds nothing either.
  pool.charge(link, 7).hold()
  assert.equal(pool.transfers, 0)
})

test('a resume answer re-bases the charge at the receiver’s offset, as the server counts it', () => {
  const pool = new RelayPool(() => 1000)
  const charge = pool.charge({ state: 'open' }, 1)
  charge.take(500, 100, never)
  charge.take(600, 100, never)
  charge.rebase(550)
  assert.equal(pool.chargedBytes, 150)
  charge.credit(700)
  assert.equal(pool.chargedBytes, 0)
})

/** A PeerLink as far as an OutgoingTransfer uses it, over a channel that takes every frame at once. */
function stubLink(transport: 'relay' | 'direct', pool: RelayPool, sent: Frame[]): PeerLink {
  const queue = new SendQueue()
  queue.attach({
    send(bytes) {
      const decoded = decodeFrame(bytes)
      assert.ok(decoded.ok)
      sent.push(decoded.frame)
    },
    bufferedAmount: 0,
  })
  return {
    peer: 'bob',
    state: 'open',
    transport,
    chunkBytes: CHUNK_BYTES,
    queue,
    relayPool: transport === 'relay' ? pool : undefined,
  } as unknown as PeerLink
}

const CHUNK_BYTES = 16 * 1024

async function sha256Hasher(): Promise<Hasher> {
  const hash = createHash('sha256')
  return {
    update: (data) => void hash.update(data),
    digest: () => new Uint8Array(hash.digest()),
  }
}

function transfer(link: PeerLink, wireId: number, size: number, ended: Map<number, string>): OutgoingTransfer {
  return new OutgoingTransfer({
    wireId,
    kind: 'buffer',
    source: bufferSource(new Uint8Array(size).fill(wireId)),
    link,
    hasher: sha256Hasher(),
    idleTimeoutMs: 60_000,
    onProgress: never,
    onEnd: (error) => ended.set(wireId, error?.code ?? 'ok'),
  })
}

/** Lets reads, hashing and the queue run until nothing moves. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

function chunkBytesOf(frames: Frame[], taskId: number): number {
  return frames.reduce((sum, f) => sum + (f.type === 'chunk' && f.taskId === taskId ? f.data.length : 0), 0)
}

test('transfers on a relayed link share the pool: chunks wait for acks, a cancel holds its share until confirmed', async () => {
  const C = CHUNK_BYTES
  // One peer: its share is the whole pool here, so the transfers share all of it.
  const pool = new RelayPool(() => 4 * C, { peerShare: 1 })
  const sent: Frame[] = []
  const ended = new Map<number, string>()
  const link = stubLink('relay', pool, sent)
  const size = 12 * C
  const one = transfer(link, 1, size, ended)
  const two = transfer(link, 2, size, ended)
  await settle()
  assert.equal(chunkBytesOf(sent, 1) + chunkBytesOf(sent, 2), 4 * C, 'a pool of chunks, no more')
  assert.equal(pool.chargedBytes, 4 * C)

  // An ack of transfer 1 lets as much again go, whichever transfer's turn it is.
  const acked = chunkBytesOf(sent, 1)
  one.onAck(acked)
  await settle()
  assert.equal(chunkBytesOf(sent, 1) + chunkBytesOf(sent, 2), 4 * C + acked)
  assert.equal(pool.chargedBytes, 4 * C)

  // Transfer 2 cancelled: its share stays charged until bob confirms; transfer 1 gets only the rest.
  const one1 = chunkBytesOf(sent, 1)
  const two1 = chunkBytesOf(sent, 2)
  two.cancel()
  assert.equal(ended.get(2), 'cancelled')
  one.onAck(one1)
  await settle()
  assert.equal(chunkBytesOf(sent, 1), one1 + 4 * C - two1)
  assert.equal(pool.chargedBytes, 4 * C)
  pool.onFrame(link, { type: 'cancel', taskId: 2, origin: 'receiver' })
  await settle()
  assert.equal(chunkBytesOf(sent, 1), one1 + 4 * C)
  assert.equal(chunkBytesOf(sent, 2), two1, 'nothing more of the cancelled transfer')

  // Transfer 1 runs to its end through the pool, and gives everything back.
  while (chunkBytesOf(sent, 1) < size) {
    one.onAck(chunkBytesOf(sent, 1))
    await settle()
  }
  one.onAck(size)
  await settle()
  assert.ok(sent.some((f) => f.type === 'end' && f.taskId === 1))
  one.onEndAck()
  assert.equal(ended.get(1), 'ok')
  assert.equal(pool.chargedBytes, 0)
  assert.equal(pool.transfers, 0)
})

test('transfers on a direct link do not draw from the pool', async () => {
  const pool = new RelayPool(() => CHUNK_BYTES)
  const sent: Frame[] = []
  const link = stubLink('direct', pool, sent)
  transfer(link, 1, 8 * CHUNK_BYTES, new Map())
  await settle()
  assert.equal(chunkBytesOf(sent, 1), 8 * CHUNK_BYTES)
  assert.equal(pool.chargedBytes, 0)
})

test('a client drawing from the pool is never cut off by the server, whatever order acks and ends arrive in', () => {
  // A seeded simulation of one client relaying to two honest receivers: frames travel in order in each
  // direction, but the client, the server and the receivers take turns at random. The server counts
  // with RelayWindows at the pool's limits; every frame the client relays must pass.
  const CHUNK = 1000
  const POOL = 8 * CHUNK
  const WINDOW = 4 * CHUNK
  const limits = { transferBytes: WINDOW + CHUNK, userBytes: POOL, transfers: 6, holdMs: Number.MAX_SAFE_INTEGER }
  let seed = 11
  const random = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    return seed % n
  }
  for (let run = 0; run < 100; run++) {
    const server = new RelayWindows(limits)
    const pool = new RelayPool(() => POOL, { maxTransfers: limits.transfers })
    const receivers = ['bob', 'carol'] as const
    const links = { bob: { state: 'open' }, carol: { state: 'open' } }
    /** Client → server, server → receiver, receiver → server, server → client: one queue each way per receiver. */
    const queues = Object.fromEntries(
      receivers.map((r) => [
        r,
        { up: [] as Frame[], toReceiver: [] as Frame[], back: [] as Frame[], toClient: [] as Frame[] },
      ]),
    )
    const incoming = { bob: new Map<number, number>(), carol: new Map<number, number>() }
    type Sending = {
      id: number
      to: 'bob' | 'carol'
      size: number
      sent: number
      acked: number
      charge: ReturnType<RelayPool['charge']>
      live: boolean
      endSent: boolean
    }
    const sending: Sending[] = []
    let nextId = 1
    for (let step = 0; step < 3000; step++) {
      const to = receivers[random(2)] ?? 'bob'
      const q = queues[to]!
      switch (random(9)) {
        case 0: {
          if (sending.filter((s) => s.live).length >= 8) break
          const id = nextId++
          sending.push({
            id,
            to,
            size: CHUNK * (1 + random(20)),
            sent: 0,
            acked: 0,
            charge: pool.charge(links[to], id),
            live: true,
            endSent: false,
          })
          q.up.push({ type: 'start', taskId: id, kind: 'buffer', size: 0, name: '', mime: '' })
          break
        }
        case 1:
        case 2: {
          const s = sending.filter((x) => x.live)[random(Math.max(1, sending.filter((x) => x.live).length))]
          if (!s) break
          const bytes = Math.min(CHUNK, s.size - s.sent)
          if (bytes > 0 && s.sent - s.acked < WINDOW && s.charge.take(s.sent, bytes, never)) {
            queues[s.to]!.up.push({ type: 'chunk', taskId: s.id, offset: s.sent, data: new Uint8Array(bytes) })
            s.sent += bytes
          } else if (bytes === 0 && !s.endSent) {
            s.endSent = true
            queues[s.to]!.up.push({ type: 'end', taskId: s.id, sha256: new Uint8Array(32) })
          }
          break
        }
        case 3: {
          // The client cancels one of its transfers.
          const s = sending.filter((x) => x.live)[random(8)]
          if (!s || random(4) !== 0) break
          s.live = false
          s.charge.hold()
          queues[s.to]!.up.push({ type: 'cancel', taskId: s.id, origin: 'sender' })
          break
        }
        case 4: {
          const frame = q.up.shift()
          if (!frame) break
          const verdict = server.sent(to, frame)
          assert.ok(verdict.ok, `run ${run} step ${step}: cut off: ${verdict.ok ? '' : verdict.message}`)
          if (!verdict.drop) q.toReceiver.push(frame)
          break
        }
        case 5: {
          // The receiver reads a frame, as Ferry's Receiver does, and answers.
          const frame = q.toReceiver.shift()
          if (!frame) break
          const tasks = incoming[to]
          if (frame.type === 'start') tasks.set(frame.taskId, 0)
          else if (frame.type === 'chunk' && tasks.has(frame.taskId)) {
            const received = (tasks.get(frame.taskId) ?? 0) + frame.data.length
            tasks.set(frame.taskId, received)
            if (random(2) === 0) q.back.push({ type: 'ack', taskId: frame.taskId, received })
          } else if (frame.type === 'end' && tasks.has(frame.taskId)) {
            q.back.push({ type: 'ack', taskId: frame.taskId, received: tasks.get(frame.taskId) ?? 0 })
            q.back.push({ type: 'end-ack', taskId: frame.taskId })
            tasks.delete(frame.taskId)
          } else if (frame.type === 'cancel') {
            tasks.delete(frame.taskId)
            q.back.push({ type: 'cancel', taskId: frame.taskId, origin: 'receiver' })
          }
          // The receiver gives up on one of its transfers now and then.
          const [first] = tasks.keys()
          if (first !== undefined && random(30) === 0) {
            tasks.delete(first)
            q.back.push({ type: 'error', taskId: first, origin: 'receiver', code: 'storage-full', message: '' })
          }
          break
        }
        case 6: {
          const frame = q.back.shift()
          if (!frame) break
          server.delivered(to, frame)
          q.toClient.push(frame)
          break
        }
        default: {
          // The client reads a frame from a receiver, as FerryClient does.
          const frame = q.toClient.shift()
          if (!frame) break
          pool.onFrame(links[to], frame)
          const s = sending.find((x) => x.id === frame.taskId && x.live)
          if (!s) break
          if (frame.type === 'ack') {
            s.acked = frame.received
            s.charge.credit(frame.received)
          } else if (frame.type === 'end-ack' || frame.type === 'cancel' || frame.type === 'error') {
            s.live = false
            s.charge.release()
          }
        }
      }
      assert.ok(
        pool.chargedBytes >= server.unackedBytes,
        `run ${run} step ${step}: the pool counts less than the server`,
      )
      assert.ok(
        pool.transfers >= server.size,
        `run ${run} step ${step}: the pool holds fewer transfers than the server`,
      )
    }
  }
})
