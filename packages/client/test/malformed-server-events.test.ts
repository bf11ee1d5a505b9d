import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { encodeMessage } from '@ferry/protocol'
import wrtc from '@roamhq/wrtc'
import { Server } from 'socket.io'
import { FerryClient, type FerryEvents } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'

/** A valid `session:ready`, as a Ferry server sends it. */
const READY = { userId: 'alice', online: [], iceServers: [], relay: true }

test('events from the server that do not match their schemas are reported as protocol-error and never acted on', async (t) => {
  const http = createServer()
  const io = new Server(http)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  t.after(() => io.close())
  const port = (http.address() as AddressInfo).port

  io.on('connection', (socket) => {
    socket.emit('session:ready', { ...READY, userId: '..' })
    socket.emit('session:ready', { ...READY, online: 'everyone' })
    socket.emit('session:ready', READY)
    socket.emit('link:signal', {
      from: 'bob',
      link: 'link-0001',
      data: { type: 'transceiverRequest', transceiverRequest: { kind: 'video' } },
    })
    socket.emit('relay:frame', { from: 'bob' }, 'not binary')
    socket.emit('relay:frame', { from: { toString: 1 } }, new Uint8Array([1]))
    socket.emit('message:deliver', { mid: 'm1', from: 'bob' }, encodeMessage({ type: 'text', text: 'hi' }))
    socket.emit('presence:online', { userId: ['bob'] })
    socket.emit('session:ended', { code: { toString: 1 }, message: 'bye' })
    socket.emit('room:member', { room: 'r', userId: 'bob', joined: 'yes', count: 1 })
  })

  const client = new FerryClient({
    url: `http://127.0.0.1:${port}`,
    userId: 'alice',
    platform: nodePlatform({ wrtc }),
  })
  const errors: FerryEvents['error'][] = []
  const messages: FerryEvents['message'][] = []
  client.on('error', (event) => errors.push(event))
  client.on('message', (event) => messages.push(event))
  await client.connect()
  t.after(() => client.close())
  await waitFor(() => errors.length >= 9)

  assert.equal(client.userId, 'alice')
  assert.equal(client.state, 'connected', 'a malformed session:ended did not end the session')
  assert.deepEqual(
    errors.map((event) => event.code),
    Array(9).fill('protocol-error'),
  )
  assert.deepEqual(messages, [])
})

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
  assert.ok(condition(), 'in time')
}
