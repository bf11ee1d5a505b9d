import { createThumbnail, type FerryClient, type MediaMessage, type MediaTask } from '@ferry/client'
import { button, el } from './dom'
import { ProgressLine } from './progress-line'

/** Image types the library reads the pixel size of; any other file goes as a file message. */
const IMAGE_MIMES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp'])

/**
 * Puts a picked file into the media store as a message's media: a thumbnail first for images, then
 * the upload with a progress bar and a Cancel button. `done` resolves with the message to send.
 */
export class MediaUpload {
  readonly element: HTMLElement
  /** Which message the file makes: images whose type the library reads, else a file. */
  readonly kind: MediaMessage['type']
  readonly done: Promise<MediaMessage>
  private readonly progress = new ProgressLine()
  private readonly abort = new AbortController()

  constructor(
    private readonly client: FerryClient,
    file: File,
  ) {
    this.kind = IMAGE_MIMES.has(file.type) ? 'image' : 'file'
    const cancel = button('Cancel', () => this.abort.abort(), { className: 'small', testId: 'media-cancel' })
    this.element = el('div', { className: 'media-transfer' }, [this.progress.element, cancel])
    this.done = this.run(file)
    // Once it ended, the bar stays where it stopped and there is nothing left to cancel.
    this.done.finally(() => cancel.remove()).catch(() => {})
  }

  private async run(file: File): Promise<MediaMessage> {
    const task = await this.start(file)
    const off = this.client.on('media-progress', ({ taskId, transferred, total }) => {
      if (taskId === task.id) this.progress.show(transferred, total)
    })
    try {
      const message = await task.done
      this.progress.show(message.size, message.size)
      return message
    } finally {
      off()
    }
  }

  private async start(file: File): Promise<MediaTask<MediaMessage>> {
    const signal = this.abort.signal
    if (this.kind === 'file') return this.client.createFileMessage(file, { signal })
    // The library's default size fits a chat bubble and leaves half a message for the rest. No
    // thumbnail is no reason not to send: the receiver still sees the name, size and pixel size.
    const thumb = await createThumbnail(file).catch(() => undefined)
    if (!thumb) return this.client.createImageMessage(file, { signal })
    return this.client.createImageMessage(file, {
      signal,
      thumbnail: thumb.bytes,
      thumbnailMime: thumb.mime,
      thumbnailWidth: thumb.width,
      thumbnailHeight: thumb.height,
    })
  }
}
