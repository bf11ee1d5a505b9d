import type { DownloadResult, FerryClient, MediaMessage, MediaSourceKind } from '@ferry/client'
import { button, el } from './dom'
import { describeError } from './error-text'
import { ProgressLine } from './progress-line'

/** Where a download came from, in words; `peer` is who sent it: the uploader, or someone else who had it. */
const SOURCE_TEXT: Record<MediaSourceKind, (peer: string) => string> = {
  cache: () => 'from this browser’s cache',
  peer: (peer) => `from ${peer}, directly`,
  server: () => 'from the server',
}

/**
 * Downloading a message's media: a Download button, then a progress bar with Cancel, then the full
 * image (or a save link for a file) and where it came from. The button stays, to try or download again.
 */
export class MediaDownload {
  readonly element: HTMLElement
  private readonly start: HTMLButtonElement
  private readonly transfer = el('div', { className: 'media-transfer' })
  private readonly status = el('p', { className: 'media-status', testId: 'media-status' })
  private readonly result = el('div', { className: 'media-result' })
  private url: string | undefined

  constructor(
    private readonly client: FerryClient,
    private readonly message: MediaMessage,
  ) {
    this.start = button('Download', () => void this.download(), {
      className: 'primary small',
      testId: `media-download-${message.mediaId}`,
    })
    this.transfer.hidden = true
    this.element = el('div', { className: 'media-download' }, [this.start, this.transfer, this.status, this.result])
  }

  private async download(): Promise<void> {
    this.start.disabled = true
    this.status.textContent = 'Downloading…'
    delete this.status.dataset.source
    delete this.status.dataset.peer
    this.forgetResult()
    const progress = new ProgressLine()
    const task = this.client.downloadMedia(this.message, { to: 'file' })
    const cancel = button('Cancel', () => this.client.cancelMedia(task.id), {
      className: 'small',
      testId: 'media-cancel',
    })
    this.transfer.replaceChildren(progress.element, cancel)
    this.transfer.hidden = false
    const off = this.client.on('media-progress', ({ taskId, transferred, total }) => {
      if (taskId === task.id) progress.show(transferred, total)
    })
    try {
      const result = await task.done
      progress.show(this.message.size, this.message.size)
      this.showResult(result)
      this.start.textContent = 'Download again'
      this.start.classList.remove('primary')
    } catch (error) {
      // The bar stays where the download stopped.
      this.status.textContent = describeError(error, this.message.uploader)
      this.element.dataset.state = 'failed'
    } finally {
      off()
      cancel.remove()
      this.start.disabled = false
    }
  }

  private showResult(result: DownloadResult): void {
    const { fileName, mime } = this.message
    const blob =
      result.file?.blob ??
      (result.data ? new Blob([result.data as Uint8Array<ArrayBuffer>], { type: mime }) : undefined)
    this.element.dataset.state = 'done'
    const peer = result.peer ?? this.message.uploader
    this.status.textContent = `Downloaded ${SOURCE_TEXT[result.source](peer)}`
    this.status.dataset.source = result.source
    if (result.source === 'peer') this.status.dataset.peer = peer
    if (!blob) return
    this.url = URL.createObjectURL(blob)
    const save = el('a', {
      className: 'button small',
      testId: 'media-save',
      text: 'Save',
      attrs: { href: this.url, download: fileName || 'download' },
    })
    const image =
      this.message.type === 'image'
        ? [el('img', { className: 'media-image', testId: 'media-image', attrs: { src: this.url, alt: fileName } })]
        : []
    this.result.replaceChildren(...image, save)
    // What was downloaded grows the message: bring it into view once it has its size.
    const reveal = () => this.element.scrollIntoView({ block: 'nearest' })
    if (image[0]) image[0].addEventListener('load', reveal, { once: true })
    else reveal()
  }

  private forgetResult(): void {
    this.result.replaceChildren()
    if (this.url) URL.revokeObjectURL(this.url)
    this.url = undefined
    delete this.element.dataset.state
  }
}
