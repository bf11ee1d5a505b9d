import type { FerryClient, FerryMessage } from '@ferry/client'
import { ChatBubble } from './chat-bubble'
import { failed, showReceived, showUpload, textOf } from './chat-content'
import { el } from './dom'
import { LOBBY_ROOM } from './lobby'
import { MediaUpload } from './media-upload'

/**
 * The chat of every room joined, newest last, each message tagged with its room. A room message goes
 * through the server to the other members; a media in it is uploaded once and each member downloads
 * it by id, from the cache, a member who holds it, or the server store.
 */
export class RoomChatView {
  readonly element: HTMLElement
  private readonly list = el('ol', { className: 'messages chat-list', testId: 'room-chat-list' })
  private readonly empty = el('p', {
    className: 'muted',
    testId: 'no-room-chat',
    text: 'No room messages yet. Join a room to chat with everyone in it.',
  })

  constructor(private readonly client: FerryClient) {
    this.element = el('section', { className: 'card' }, [el('h2', { text: 'Room chat' }), this.empty, this.list])
    client.on('message', ({ message, delivery }) => {
      // The lobby keeps the people list only: whatever another client sends to it is no chat here.
      if (delivery?.target.type !== 'room' || delivery.target.rid === LOBBY_ROOM) return
      this.received(delivery.from, delivery.target.rid, message)
    })
  }

  /** Sends a text to a room; resolves with the error text when it failed. */
  sendText(room: string, text: string): Promise<string | undefined> {
    const bubble = this.add(new ChatBubble('out', 'You', 'text', room))
    bubble.body.append(textOf(text))
    return this.deliver(bubble, room, { type: 'text', text })
  }

  /** Uploads a file once as an image or file message, then sends it to a room; resolves with the error text when it failed. */
  async sendMedia(room: string, file: File): Promise<string | undefined> {
    const upload = new MediaUpload(this.client, file)
    const bubble = this.add(new ChatBubble('out', 'You', upload.kind, room))
    try {
      return await this.deliver(bubble, room, await showUpload(this.client, bubble, upload, file))
    } catch (error) {
      return failed(bubble, error, room)
    }
  }

  private received(from: string, room: string, message: FerryMessage): void {
    showReceived(this.client, this.add(new ChatBubble('in', from, message.type, room)), message)
  }

  private async deliver(bubble: ChatBubble, room: string, message: FerryMessage): Promise<string | undefined> {
    bubble.setStatus('Sending…')
    try {
      await this.client.sendRoomMessage(room, message)
      bubble.setStatus('Sent to the room')
      return undefined
    } catch (error) {
      return failed(bubble, error, room)
    }
  }

  private add(bubble: ChatBubble): ChatBubble {
    this.list.append(bubble.element)
    this.empty.hidden = true
    this.list.scrollTop = this.list.scrollHeight
    return bubble
  }
}
