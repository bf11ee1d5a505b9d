import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import {
  type ClientToServerEvents,
  decodeFrame,
  encodeFrame,
  type Frame,
  MEDIA_TASK_ID_BASE,
  type ServerToClientEvents,
} from '@ferry/protocol'
import { io, type Socket } from 'socket.io-client'
import { useClients } from './helpers.js'

const t = useClients({ alice: { transport: 'relay' } })

/** A peer speaking raw frames through the relay, to see exactly what a Ferry client answers. */
async function rawPeer(userId: string): Promise<{ send(frame: Frame): void; frames: Frame[] }> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(t.h.server.url, {
    auth: { userId },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  })
  after(() => socket.close())
  const frames: Frame[] = []
  socket.on('relay:frame', (_, bytes) => {
    const decoded = decodeFrame(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    assert.ok(decoded.ok)
    frames.push(decoded.frame)
  })
  await new Promise<void>((resolve) => socket.once('session:ready', () => resolve()))
  return {
    send: (frame) => socket.emit('relay:frame', { to: 'alice' }, encodeFrame(frame)),
    frames,
  }
}

/** Sends a cmd and resolves once its end-ack came back: everything the client sent before it has arrived. */
async function flush(peer: Awaited<ReturnType<typeof rawPeer>>, taskId: number): Promise<void> {
  peer.send({ type: 'cmd', taskId, text: true, payload: new TextEncoder().encode('flush') })
  for (let i = 0; i < 400 && !peer.frames.some((f) => f.type === 'end-ack' && f.taskId === taskId); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  assert.ok(
    peer.frames.some((f) => f.type === 'end-ack' && f.taskId === taskId),
    'the cmd was confirmed',
  )
}

test('a receiver confirms a sender’s cancel or error with a cancel of its own, known task or not', async () => {
  const mallory = await rawPeer('cancel-sender')
  mallory.send({ type: 'cancel', taskId: 77, origin: 'sender' })
  mallory.send({ type: 'error', taskId: 78, origin: 'sender', code: 'file-read-error', message: 'gone' })
  // A media fetch answered with an error by its holder is confirmed the same way.
  mallory.send({
    type: 'error',
    taskId: MEDIA_TASK_ID_BASE + 5,
    origin: 'sender',
    code: 'media-not-found',
    message: '',
  })
  await flush(mallory, 1)
  assert.deepEqual(
    mallory.frames.filter((f) => f.type === 'cancel'),
    [
      { type: 'cancel', taskId: 77, origin: 'receiver' },
      { type: 'cancel', taskId: 78, origin: 'receiver' },
      { type: 'cancel', taskId: MEDIA_TASK_ID_BASE + 5, origin: 'receiver' },
    ],
  )
})

test('a sender does not answer frames about tasks it does not know: nothing bounces back', async () => {
  const mallory = await rawPeer('cancel-receiver')
  mallory.send({ type: 'cancel', taskId: 77, origin: 'receiver' })
  mallory.send({ type: 'error', taskId: 78, origin: 'receiver', code: 'storage-full', message: '' })
  mallory.send({ type: 'end-ack', taskId: 79 })
  mallory.send({ type: 'ack', taskId: 80, received: 10 })
  mallory.send({ type: 'cancel', taskId: MEDIA_TASK_ID_BASE + 6, origin: 'receiver' })
  await flush(mallory, 2)
  assert.deepEqual(mallory.frames, [{ type: 'end-ack', taskId: 2 }])
})
