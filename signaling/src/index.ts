export type { ServerApiOptions } from './api/server-api.js'
export type { AuthMiddleware, LoginResult, TokenRules } from './auth.js'
export { loadConfig, type SignalingConfig, USAGE } from './config.js'
export * from './constants.js'
export { type GroupStore, InMemoryGroupStore } from './groups/group-store.js'
export type { Rate } from './limits/bucket-table.js'
export { DEFAULT_LIMITS, type LimitSettings } from './limits/limit-settings.js'
export type { Logger } from './logger.js'
export { quietLogger } from './logger.js'
export { MediaKeys } from './media/media-keys.js'
export { type MediaRefusal, MediaStoreError } from './media/media-refusal.js'
export type { MediaStoreOptions } from './media/media-service.js'
export { type MediaRange, type MediaRead, MediaStore, type MediaStoreSettings } from './media/media-store.js'
export { PresenceWatchers } from './presence/presence-watchers.js'
export type { RelaySettings } from './relay.js'
export { type RelayWindowLimits, RelayWindows, type WindowVerdict } from './relay-window.js'
export { createSignalingServer, type SignalingServer, type SignalingServerOptions } from './server.js'
export { InMemorySessionStore, type SessionStore } from './session-store.js'
export { type DedupeKey, type DedupeStore, InMemoryDedupeStore } from './state/dedupe-store.js'
export {
  type FileGrant,
  type FileTokenStore,
  InMemoryFileTokenStore,
  type StoredGrant,
} from './state/file-token-store.js'
export { type DeliveryKey, type InboxStore, InMemoryInboxStore, type KeptDelivery } from './state/inbox-store.js'
export { memoryState, type ServerState } from './state/server-state.js'
export { type TurnSettings, turnCredentials } from './turn-credentials.js'
export type { CorsOrigin, FerryServer, FerrySocket, SocketData } from './types.js'
