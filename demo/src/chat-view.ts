import type { FerryClient, FerryMessage } from '@ferry/client'
import { ChatBubble } from './chat-bubble'
import { failed, showReceived, showUpload, textOf } from './chat-content'
import { el } from './dom'
import { MediaUpload } from './media-upload'

/**
 * The chat with one person at a time: text, image and file messages both ways, newest last. A media
 * message carries a media id, not the content; the receiver sees its thumbnail and size and
 * downloads it when they like. Room messages go to the room chat instead.
 */
export class ChatView {
  readonly element: HTMLElement
  private readonly list = el('ol', { className: 'messages chat-list', testId: 'chat-list' })
  private readonly empty = el('p', { className: 'muted', testId: 'no-chat', text: 'No chat messages yet.' })

  constructor(private readonly client: FerryClient) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'Chat' }), this.empty, this.list])
    client.on('message', ({ from, message, delivery }) => {
      if (delivery?.target.type !== 'room') this.received(from, message)
    })
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
    try {
      return await this.deliver(bubble, to, await showUpload(this.client, bubble, upload, file))
    } catch (error) {
      return failed(bubble, error, to)
    }
  }

  private received(from: string, message: FerryMessage): void {
    showReceived(this.client, this.add(new ChatBubble('in', from, message.type)), message)
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
