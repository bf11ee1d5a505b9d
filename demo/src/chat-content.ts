import { type FerryClient, FerryError, type FerryMessage, type MediaMessage } from '@ferry/client'
import type { ChatBubble } from './chat-bubble'
import { el } from './dom'
import { describeError } from './error-text'
import { mediaCard } from './media-card'
import { MediaDownload } from './media-download'
import type { MediaUpload } from './media-upload'

/**
 * What goes into a chat bubble's body, the same in the peer chat and the room chat: a text, a media
 * being uploaded, a received message (text, or its media card with a Download button), a failure.
 */
export function textOf(text: string): HTMLElement {
  return el('p', { className: 'message-text', testId: 'chat-text', text })
}

/**
 * Shows an upload in an outgoing bubble: the picked file's name and size with progress and Cancel,
 * then the message's own card. Resolves with the message to send; rejects when the upload failed.
 */
export async function showUpload(
  client: FerryClient,
  bubble: ChatBubble,
  upload: MediaUpload,
  file: File,
): Promise<MediaMessage> {
  bubble.setStatus('Uploading…')
  bubble.body.append(mediaCard({ fileName: file.name, size: file.size }), upload.element)
  const message = await upload.done
  bubble.mediaId = message.mediaId
  bubble.body.replaceChildren(mediaCard(message, client.userId))
  return message
}

/** Fills an incoming bubble: the text, or the media card, its download and the caption. */
export function showReceived(client: FerryClient, bubble: ChatBubble, message: FerryMessage): void {
  if (message.type === 'text') {
    bubble.body.append(textOf(message.text))
    return
  }
  bubble.mediaId = message.mediaId
  bubble.body.append(mediaCard(message, client.userId), new MediaDownload(client, message).element)
  if (message.text) bubble.body.append(textOf(message.text))
}

/** Shows why a send failed on its bubble; the words, except for a cancel the user asked for. */
export function failed(bubble: ChatBubble, error: unknown, to: string): string | undefined {
  const reason = describeError(error, to)
  bubble.fail(reason)
  return error instanceof FerryError && error.code === 'cancelled' ? undefined : reason
}
