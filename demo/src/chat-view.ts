import { type FerryClient, FerryError, type FerryMessage, type MediaMessage } from '@ferry/client'
import { ChatBubble } from './chat-bubble'
import { el } from './dom'
import { describeError } from './error-text'
import { mediaCard } from './media-card'
import { MediaDownload } from './media-download'
import { MediaUpload } from './media-upload'

/**
 * The chat: text, image and file messages both ways, newest last. A media message carries a media id,
 * not the content; the receiver sees its thumbnail and size and downloads it when they like.
 */
export class ChatView {
  readonly element: HTMLElement
  private readonly list = el('ol', { className: 'messages chat-list', testId: 'chat-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-chat', text: 'No chat messages yet.' })

  constructor(private readonly client: FerryClient) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'Chat' }), this.empty, this.list])
    client.on('message', ({ from, message }) => this.received(from, message))
  }

  /** Sends a text message; resolves with the error text when it failed. */
  sendText(to: string, text: string): Promise<string | undefined> {
    const bubble = this.add(new ChatBubble('out', `You → ${to}`, 'text'))
    bubble.body.append(textOf(text))
    return this.deliver(bubble, to, { type: 'text', text })
  }

  /** Uploads a file as an image or file message, then sends it; resolves with the error text when it failed. */
  async sendMedia(to: string, file: File): Promise<string | undefined> {
    const upload = new MediaUpload(this.client, file)
    const bubble = this.add(new ChatBubble('out', `You → ${to}`, upload.kind))
    bubble.setStatus('Uploading…')
    bubble.body.append(mediaCard({ fileName: file.name, size: file.size }), upload.element)
    let message: MediaMessage
    try {
      message = await upload.done
    } catch (error) {
      return failed(bubble, error, to)
    }
    bubble.mediaId = message.mediaId
    bubble.body.replaceChildren(mediaCard(message, this.client.userId))
    return this.deliver(bubble, to, message)
  }

  private received(from: string, message: FerryMessage): void {
    const bubble = this.add(new ChatBubble('in', from, message.type))
    if (message.type === 'text') {
      bubble.body.append(textOf(message.text))
      return
    }
    bubble.mediaId = message.mediaId
    bubble.body.append(mediaCard(message, this.client.userId), new MediaDownload(this.client, message).element)
    if (message.text) bubble.body.append(textOf(message.text))
  }

  private async deliver(bubble: ChatBubble, to: string, message: FerryMessage): Promise<string | undefined> {
    bubble.setStatus('Sending…')
    try {
      await this.client.sendMessage(to, message).done
      bubble.setStatus('Delivered')
      return undefined
    } catch (error) {
      return failed(bubble, error, to)
    }
  }

  private add(bubble: ChatBubble): ChatBubble {
    this.list.append(bubble.element)
    this.empty.hidden = true
    this.list.scrollTop = this.list.scrollHeight
    return bubble
  }
}

function textOf(text: string): HTMLElement {
  return el('p', { className: 'message-text', testId: 'chat-text', text })
}

/** Shows why a send failed on its bubble; the words, except for a cancel the user asked for. */
function failed(bubble: ChatBubble, error: unknown, to: string): string | undefined {
  const reason = describeError(error, to)
  bubble.fail(reason)
  return error instanceof FerryError && error.code === 'cancelled' ? undefined : reason
}
