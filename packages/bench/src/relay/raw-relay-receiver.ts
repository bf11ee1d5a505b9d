import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { ACK_EVERY_BYTES, decodeFrame, encodeFrame, type Frame } from '@ferry/protocol'
import { RAW_TASK_ID } from './raw-relay-sender.js'
import { frameBytes, type RawRelaySocket } from './raw-relay-socket.js'

/**
 * The raw baseline's receiver: writes chunks to `path` in order as they arrive, hashes them (Ferry
 * does too), and acks every ACK_EVERY_BYTES once written, as Ferry's receiver does. Answers the
 * warm-up cmd with an end-ack, and the end frame with an end-ack once everything is written and the
 * SHA-256 matches. Resolves once it listens; `done` then resolves with the hex SHA-256 it received.
 */
export async function startRawReceiver(
  socket: RawRelaySocket,
  from: string,
  path: string,
  size: number,
): Promise<{ done: Promise<string> }> {
  const file = await open(path, 'w')
  const hash = createHash('sha256')
  const reply = (frame: Frame): void => {
    socket.emit('relay:frame', { to: from }, encodeFrame(frame))
  }
  let arrived = 0
  let written = 0
  let lastAck = 0
  let writing: Promise<void> = Promise.resolve()
  const done = new Promise<string>((resolve, reject) => {
    const fail = (error: Error): void => {
      void file.close().catch(() => {})
      reject(error)
    }
    socket.on('disconnect', (reason) => fail(new Error(`disconnected from the server (${reason})`)))
    socket.on('relay:frame', (msg, raw) => {
      const decoded = decodeFrame(frameBytes(raw))
      if (msg.from !== from || !decoded.ok) return
      const frame = decoded.frame
      if (frame.type === 'cmd') {
        reply({ type: 'end-ack', taskId: frame.taskId })
        return
      }
      if (frame.taskId !== RAW_TASK_ID) return
      if (frame.type === 'chunk') {
        if (frame.offset !== arrived) {
          fail(new Error(`chunk at ${frame.offset}, expected ${arrived}`))
          return
        }
        const { data, offset } = frame
        arrived += data.length
        hash.update(data)
        writing = writing.then(async () => {
          await file.write(data, 0, data.length, offset)
          written += data.length
          if (written - lastAck >= ACK_EVERY_BYTES || written === size) {
            lastAck = written
            reply({ type: 'ack', taskId: RAW_TASK_ID, received: written })
          }
        })
        writing.catch(fail)
      } else if (frame.type === 'end') {
        const expected = Buffer.from(frame.sha256).toString('hex')
        void writing.then(async () => {
          await file.close()
          const sha256 = hash.digest('hex')
          if (written !== size || sha256 !== expected) {
            reply({ type: 'error', taskId: RAW_TASK_ID, origin: 'receiver', code: 'integrity-mismatch', message: '' })
            fail(new Error(`received ${written} of ${size} bytes, SHA-256 ${sha256}, sender said ${expected}`))
            return
          }
          reply({ type: 'end-ack', taskId: RAW_TASK_ID })
          resolve(sha256)
        }, fail)
      }
    })
  })
  done.catch(() => {})
  return { done }
}
