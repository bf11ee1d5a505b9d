/**
 * Messages: small, one-shot, and typed. A file or image message carries a media id, not the content;
 * the receiver downloads the media by id (from its cache, an online peer that holds it, or the server
 * store). A message encodes (`encodeMessage`) to at most MAX_MESSAGE_BYTES, its thumbnail included.
 */

/** What a media id stands for. The SHA-256 is checked on every download. */
export interface MediaInfo {
  /** MEDIA_ID_PATTERN: random, unguessable; knowing it is what lets one fetch the media. */
  mediaId: string
  /** The user who uploaded it: an online peer that holds it for sure. */
  uploader: string
  fileName: string
  size: number
  mime: string
  /** Lowercase hex SHA-256 of the content. */
  sha256: string
  /** When the server store drops it (ms since the epoch); 0 when no server store keeps it. */
  expiresAt: number
}

export interface TextMessage {
  type: 'text'
  text: string
}

export interface FileMessage extends MediaInfo {
  type: 'file'
  /** Optional caption. */
  text?: string
  /** A small preview image (e.g. JPEG bytes), shown before the media is downloaded. */
  thumbnail?: Uint8Array
  thumbnailMime?: string
}

export interface ImageMessage extends MediaInfo {
  type: 'image'
  text?: string
  /** Pixel size of the full image: detected on upload for JPEG, PNG, BMP, GIF and WebP, or set by the app. */
  width: number
  height: number
  thumbnail?: Uint8Array
  thumbnailMime?: string
  thumbnailWidth?: number
  thumbnailHeight?: number
}

export type MediaMessage = FileMessage | ImageMessage

export type FerryMessage = TextMessage | FileMessage | ImageMessage

export type MessageType = FerryMessage['type']
