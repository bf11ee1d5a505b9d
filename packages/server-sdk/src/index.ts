export type {
  FileCommand,
  FileSendResponse,
  FileTokenResponse,
  Group,
  MessageCommand,
  SendReceipt,
  SendTarget,
} from '@ferry/protocol'
export { FerryError, type FerryErrorCode, MTYPE } from '@ferry/protocol'
export {
  FerryServerApi,
  type FerryServerApiOptions,
  type MessageSendOptions,
  uploadWithToken,
} from './ferry-server-api.js'
export type { FileInput, FileSendOptions } from './file-body.js'
