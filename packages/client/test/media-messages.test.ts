import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type FileMessage, MAX_MESSAGE_BYTES, messageBytes } from '../src/index.js'
import { next, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {} })

/** A well-formed file message; the media behind it does not matter to sending it. */
function fileMessage(overrides: Partial<FileMessage> = {}): FileMessage {
  return {
    type: 'file',
    mediaId: 'A'.repeat(32),
    uploader: 'alice',
    fileName: 'report.pdf',
    size: 1234,
    mime: 'application/pdf',
    sha256: 'ab'.repeat(32),
    expiresAt: 0,
    ...overrides,
  }
}

test('a text message arrives as a message event and the sender gets a result', async () => {
  const received = next(t.bob, 'message')
  const task = t.alice.sendMessage('bob', 'hello bob', { cookie: 7 })
  const event = await received
  assert.equal(event.from, 'alice')
  assert.deepEqual(event.message, { type: 'text', text: 'hello bob' })
  const result = await task.done
  assert.equal(result.kind, 'message')
  assert.equal(result.cookie, 7)
})

test('a file message arrives with every field, thumbnail bytes included', async () => {
  const thumbnail = new Uint8Array(5000).map((_, i) => i & 0xff)
  const message = fileMessage({ text: 'the report', thumbnail, thumbnailMime: 'image/jpeg' })
  const received = next(t.bob, 'message')
  await t.alice.sendMessage('bob', message).done
  assert.deepEqual((await received).message, message)
})

test('a message whose encoding is over 32 KB fails with message-too-large, at exactly 32 KB it goes', async () => {
  const base = fileMessage({ fileName: 'n'.repeat(1000), text: '', thumbnail: new Uint8Array(16 * 1024) })
  const fits = { ...base, text: 'x'.repeat(MAX_MESSAGE_BYTES - messageBytes(base)) }
  assert.equal(messageBytes(fits), MAX_MESSAGE_BYTES)
  const received = next(t.bob, 'message')
  await t.alice.sendMessage('bob', fits).done
  assert.deepEqual((await received).message, fits)

  const over = { ...fits, text: `${fits.text}!` }
  await assert.rejects(t.alice.sendMessage('bob', over).done, { code: 'message-too-large' })
  // Text alone counts with its JSON around it: the limit is on the encoded message.
  const text = 'x'.repeat(MAX_MESSAGE_BYTES - messageBytes({ type: 'text', text: '' }) + 1)
  await assert.rejects(t.alice.sendMessage('bob', text).done, { code: 'message-too-large' })
})

test('malformed messages are refused with invalid-argument before anything is sent', async () => {
  const bad = [
    { type: 'voice', text: 'x' },
    { ...fileMessage(), mediaId: '../../etc/passwd' },
    { ...fileMessage(), sha256: 'not-a-digest' },
    { ...fileMessage(), type: 'image' }, // no width and height
  ]
  for (const message of bad) {
    await assert.rejects(t.alice.sendMessage('bob', message as unknown as FileMessage).done, {
      code: 'invalid-argument',
    })
  }
})

test('a message to a user who is not online fails with peer-offline', async () => {
  await assert.rejects(t.alice.sendMessage('nobody', 'are you there?').done, { code: 'peer-offline' })
})

test('a message cannot be cancelled', async () => {
  const task = t.alice.sendMessage('bob', 'x')
  assert.equal(t.alice.cancelSend(task.id), 'unknown-task')
  await task.done
})
