import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type FileMessage, MAX_MESSAGE_BYTES } from '../src/index.js'
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

test('text + file name + thumbnail over 32 KB fail with message-too-large, at exactly 32 KB they go', async () => {
  const name = 'n'.repeat(1000)
  const fits = fileMessage({
    fileName: name,
    thumbnail: new Uint8Array(MAX_MESSAGE_BYTES - 1000 - 10),
    text: '0123456789',
  })
  const received = next(t.bob, 'message')
  await t.alice.sendMessage('bob', fits).done
  assert.equal((await received).message.type, 'file')

  const over = { ...fits, text: '0123456789!' }
  await assert.rejects(t.alice.sendMessage('bob', over).done, { code: 'message-too-large' })
  await assert.rejects(t.alice.sendMessage('bob', 'x'.repeat(MAX_MESSAGE_BYTES + 1)).done, {
    code: 'message-too-large',
  })
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
