import { readFile } from 'node:fs/promises'
import { expect, test } from '../support/fixtures'
import { writePng } from '../support/test-image'

/** Over the 32 KB that an encoded message (text, file name, thumbnail and the rest) may take. */
const OVERSIZED_BYTES = 33 * 1024

const TOO_LARGE = 'Message too large (max 32 KiB with text, name and preview): shorten it'

test('a text message over 32 KB is refused with message-too-large, and nothing arrives', async ({ users }) => {
  const [alice, bob] = await users.login('alice', 'bob')
  await alice.pick(bob)

  await alice.sendText('x'.repeat(OVERSIZED_BYTES))

  await expect(alice.chat.last().getByTestId('chat-status')).toHaveText(TOO_LARGE)
  await expect(alice.chat.last()).toHaveAttribute('data-state', 'failed')
  await expect(alice.banner).toContainText(TOO_LARGE)
  await alice.sendText('a short one')
  await expect(bob.chat.getByTestId('chat-text')).toHaveText(['a short one'])
})

test('an image message whose thumbnail is over 32 KB is refused with message-too-large', async ({ users, tempDir }) => {
  const image = await writePng(tempDir, 'big-thumb.png', 64, 64)
  const [alice, bob] = await users.login('alice', 'bob')
  const code = await alice.page.evaluate(sendWithThumbnail, {
    to: bob.name,
    bytes: [...(await readFile(image.path))],
    thumbnailBytes: OVERSIZED_BYTES,
  })
  expect(code).toBe('message-too-large')
  await expect(bob.chat).toHaveCount(0)
})

/** The part of the page's client this spec calls. */
interface PageClient {
  createImageMessage(file: Blob, options: { thumbnail: Uint8Array; thumbnailMime: string }): { done: Promise<object> }
  sendMessage(to: string, message: object): { done: Promise<unknown> }
}

/**
 * Runs in the page: makes an image message with a thumbnail of `thumbnailBytes` and sends it; the
 * error code it fails with, wherever the library refuses it (making the message or sending it).
 */
async function sendWithThumbnail(args: { to: string; bytes: number[]; thumbnailBytes: number }): Promise<string> {
  const client = (window as unknown as { ferryDemo: { client: PageClient } }).ferryDemo.client
  const image = new Blob([new Uint8Array(args.bytes)], { type: 'image/png' })
  try {
    const task = client.createImageMessage(image, {
      thumbnail: new Uint8Array(args.thumbnailBytes),
      thumbnailMime: 'image/jpeg',
    })
    const message = await task.done
    await client.sendMessage(args.to, message).done
    return 'sent'
  } catch (error) {
    return (error as { code?: string }).code ?? String(error)
  }
}
