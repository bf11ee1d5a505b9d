export {
  DEFAULT_MEDIA_MAX_BYTES,
  type DeliveryMeta,
  type DeliveryTarget,
  FerryError,
  type FerryErrorCode,
  type FerryMessage,
  type FileMessage,
  type ImageMessage,
  MAX_ATTRS_BYTES,
  MAX_CMD_BYTES,
  MAX_MEDIA_TASKS,
  MAX_MESSAGE_BYTES,
  MAX_ROOMS_PER_CLIENT,
  MEDIA_ID_PATTERN,
  MEDIA_RETENTION_MS,
  type MediaInfo,
  type MediaMessage,
  MTYPE,
  messageBytes,
  type RoomMemberEvent,
  type SendReceipt,
  type TextMessage,
} from '@ferry/protocol'
export { type BrowserPlatformOptions, browserPlatform } from './browser/browser-platform.js'
export {
  deleteStoredFile,
  FILES_DB,
  listStoredFiles,
  loadStoredFile,
  type StoredFileMeta,
} from './browser/idb-file-store.js'
export { saveFile } from './browser/save-file.js'
export { createThumbnail } from './browser/thumbnail.js'
export { FerryClient } from './ferry-client.js'
export type { MessageFromMediaOptions } from './media/client-media.js'
export { imageDimensions } from './media/image-info.js'
export type { CachedMedia, MediaCache, MediaWriter } from './media/media-cache.js'
export type * from './media/media-types.js'
export { RELAY_OUTAGE_WAIT_MS } from './peer-link.js'
export type * from './rooms/room-types.js'
export { RECONNECT_DELAY_MAX_MS, RECONNECT_DELAY_MIN_MS } from './signaling-client.js'
export type * from './types.js'
