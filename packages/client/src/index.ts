export { FerryError, type FerryErrorCode, MAX_CMD_BYTES } from '@ferry/protocol'
export { browserPlatform } from './browser-platform.js'
export { FerryClient } from './ferry-client.js'
export type * from './types.js'
