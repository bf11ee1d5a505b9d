export * from './constants.js'
export type * from './delivery.js'
export { isMtype, MTYPE } from './delivery.js'
export * from './errors.js'
export type { DecodeResult } from './frame-codec.js'
export { CHUNK_HEADER_BYTES, decodeFrame, encodeFrame, writeChunkHeader } from './frame-codec.js'
export type * from './frames.js'
export type * from './media-http.js'
export { MEDIA_HTTP_PREFIX } from './media-http.js'
export {
  checkMessage,
  decodeMessage,
  encodeMessage,
  type MessageCheck,
  type MessageDecodeResult,
  mediaInfoError,
  messageBytes,
} from './message-codec.js'
export type * from './messages.js'
export * from './schemas/index.js'
export type * from './server-api.js'
export { SERVER_API_PREFIX } from './server-api.js'
export type * from './signaling-events.js'
export { utf8Decode, utf8Encode } from './text.js'
