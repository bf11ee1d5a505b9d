import assert from 'node:assert/strict'
import type { Socket as NetSocket } from 'node:net'
import { test } from 'node:test'
import { ACK_EVERY_BYTES, type ChunkFrame, RELAY_WINDOW_LIMIT_BYTES, WINDOW_BYTES } from '@ferry/protocol'
import { type Client, login, openClient } from './harness.js'
import { CHUNK_DATA_BYTES, chunk, decoded, relay, withTimeout } from './relay-peers.js'
import { startServerProcess } from './server-process.js'

/** Enough to fill the window several times over. */
const TRANSFER_BYTES = 4 * WINDOW_BYTES

/** The receiver reads for READ_MS, then leaves its socket unread for PAUSE_MS: a reader far slower than the link. */
const READ_MS = 5
const PAUSE_MS = 100

/** The TCP socket under a Socket.IO client, to stop reading from it as a slow receiver would. */
function tcpSocket(client: Client): NetSocket {
  const engine = client.io.engine as unknown as { transport: { ws: { _socket: NetSocket } } }
  return engine.transport.ws._socket
}

test('a slow receiver that acks what it reads keeps a window-respecting sender going, and the server holds about a window', async (t) => {
  const server = await startServerProcess(t)
  const alice = openClient(server.url, { userId: 'alice' })
  const bob = openClient(server.url, { userId: 'bob' })
  t.after(() => {
    alice.close()
    bob.close()
  })
  await login(alice)
  await login(bob)
  alice.on('session:ended', (msg) => assert.fail(`alice was cut off: ${msg.code} ${msg.message}`))

  // Bob stores in order and acks every ACK_EVERY_BYTES, but reads in short bursts.
  let received = 0
  let lastAcked = 0
  const complete = new Promise<void>((resolve, reject) => {
    bob.on('relay:frame', ({ from }, bytes) => {
      const frame = decoded(new Uint8Array(bytes)) as ChunkFrame
      if (frame.offset !== received) reject(new Error(`chunk at ${frame.offset}, expected ${received}`))
      received += frame.data.length
      if (received - lastAcked >= ACK_EVERY_BYTES || received === TRANSFER_BYTES) {
        lastAcked = received
        relay(bob, from, { type: 'ack', taskId: 1, received })
      }
      if (received === TRANSFER_BYTES) resolve()
    })
  })
  const socket = tcpSocket(bob)
  const throttle = setInterval(() => {
    socket.resume()
    setTimeout(() => socket.pause(), READ_MS)
  }, PAUSE_MS)
  socket.pause()
  t.after(() => clearInterval(throttle))

  // Alice is an ideal sender that keeps at most WINDOW_BYTES beyond bob's last ack.
  let sent = 0
  let acked = 0
  let stalls = 0
  const pump = (): void => {
    while (sent < TRANSFER_BYTES && sent - acked < WINDOW_BYTES) {
      relay(alice, 'bob', chunk(1, sent))
      sent += CHUNK_DATA_BYTES
    }
    if (sent < TRANSFER_BYTES) stalls++
  }
  alice.on('relay:frame', (_, bytes) => {
    const frame = decoded(new Uint8Array(bytes))
    if (frame.type === 'ack') acked = frame.received
    pump()
  })

  server.baseline()
  pump()
  await withTimeout(complete, 'the whole transfer reaching bob', 120_000)
  const growth = await server.report()
  const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)
  t.diagnostic(
    `server growth: rss ${mib(growth.rssBytes)} MiB, buffers ${mib(growth.arrayBuffersBytes)} MiB; ` +
      `window ${mib(WINDOW_BYTES)} MiB, the sender waited for acks ${stalls} times`,
  )
  assert.ok(alice.connected, 'alice was never cut off')
  assert.ok(stalls > 0, 'the window, not the link, held the sender back')
  assert.ok(
    growth.arrayBuffersBytes < 2 * RELAY_WINDOW_LIMIT_BYTES,
    `frames held by the server grew ${mib(growth.arrayBuffersBytes)} MiB`,
  )
  assert.ok(growth.rssBytes < 2 * RELAY_WINDOW_LIMIT_BYTES, `server RSS grew ${mib(growth.rssBytes)} MiB`)
})
