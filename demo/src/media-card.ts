import type { MediaMessage } from '@ferry/client'
import { el } from './dom'
import { formatBytes, formatDateTime, formatDimensions } from './format'

/** What a card shows of a media before its message exists: the picked file, while it uploads. */
export interface PendingMedia {
  fileName: string
  size: number
}

/**
 * What a file or image message says about its media, before anything is downloaded: the thumbnail
 * it carries, the image's full pixel size, the name, the size, and who keeps it. `me` is the user
 * looking, so their own uploads say "you".
 */
export function mediaCard(media: MediaMessage | PendingMedia, me?: string): HTMLElement {
  const message = 'mediaId' in media ? media : undefined
  const name = media.fileName
  const facts = [el('span', { className: 'media-name', testId: 'media-name', text: name, attrs: { title: name } })]
  if (message?.type === 'image') {
    const size = formatDimensions(message.width, message.height)
    facts.push(el('span', { className: 'muted', testId: 'media-dimensions', text: size }))
  }
  facts.push(el('span', { className: 'muted', testId: 'media-size', text: formatBytes(media.size) }))
  if (message) facts.push(el('span', { className: 'muted', testId: 'media-kept', text: keptText(message, me) }))
  return el('div', { className: 'media-card' }, [
    ...(message ? thumbnail(message) : []),
    el('div', { className: 'media-facts' }, facts),
  ])
}

/** Who can serve the media: the server store until it expires, else only the uploader while online. */
function keptText(message: MediaMessage, me: string | undefined): string {
  if (message.expiresAt > 0) return `On the server until ${formatDateTime(new Date(message.expiresAt))}`
  return `Not on the server: only ${message.uploader === me ? 'you have' : `${message.uploader} has`} it`
}

function thumbnail(message: MediaMessage): HTMLElement[] {
  if (!message.thumbnail) return []
  const blob = new Blob([message.thumbnail as Uint8Array<ArrayBuffer>], { type: message.thumbnailMime ?? 'image/jpeg' })
  const attrs: Record<string, string> = { src: URL.createObjectURL(blob), alt: `Preview of ${message.fileName}` }
  if (message.type === 'image' && message.thumbnailWidth && message.thumbnailHeight) {
    attrs.width = String(message.thumbnailWidth)
    attrs.height = String(message.thumbnailHeight)
  }
  return [el('img', { className: 'media-thumbnail', testId: 'media-thumbnail', attrs })]
}
