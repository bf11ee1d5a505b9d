export { FerryError, type FerryErrorCode, MAX_CMD_BYTES } from '@ferry/protocol'
export { type BrowserPlatformOptions, browserPlatform } from './browser/browser-platform.js'
export {
  deleteStoredFile,
  FILES_DB,
  listStoredFiles,
  loadStoredFile,
  type StoredFileMeta,
} from './browser/idb-file-store.js'
export { saveFile } from './browser/save-file.js'
export { FerryClient } from './ferry-client.js'
export type * from './types.js'
