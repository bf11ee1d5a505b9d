import type { AckWith } from '@ferry/protocol'
import { onClientEvent } from '../events/client-event.js'
import type { Limits } from '../limits/limits.js'
import type { Logger } from '../logger.js'
import type { SerialRunner } from '../serial.js'
import type { SessionStore } from '../session-store.js'
import type { FerrySocket } from '../types.js'
import { type HolderStore, MAX_HOLDERS_LISTED } from './holder-store.js'

export interface HoldersContext {
  store: SessionStore
  logger: Logger
  holders: HolderStore
  limits: Limits
  /** The runner the socket's requests that change shared state go through. */
  serial: SerialRunner
}

/**
 * `media:have` (this user holds a media) and `media:holders` (who online holds one). Knowing a media id
 * is the capability to fetch it, so any logged-in user who knows one may ask. Both take a token from
 * the user's media budget: an answered request is refused with `rate-limited`, an announcement dropped.
 */
export function registerMediaHolders(
  socket: FerrySocket,
  { store, logger, holders, limits, serial }: HoldersContext,
): void {
  const self = socket.data.userId
  const admit = () => limits.take('media', self)

  onClientEvent(
    socket,
    'media:have',
    async ({ mediaId }) => {
      await holders.have(self, mediaId)
      return undefined
    },
    { logger, admit, serial },
  )

  onClientEvent(
    socket,
    'media:holders',
    async ({ mediaId, uploader }): Promise<AckWith<{ holders: string[] }>> => {
      const withUploader = uploader !== undefined && uploader !== self && (await store.isOnline(uploader))
      const room = MAX_HOLDERS_LISTED - (withUploader ? 1 : 0)
      const online: string[] = []
      for (const holder of await holders.holdersOf(mediaId)) {
        if (online.length === room) break
        if (holder === self || holder === uploader || !(await store.isOnline(holder))) continue
        online.push(holder)
      }
      // The uploader last: it holds the media for sure, but the others spread the load.
      if (withUploader) online.push(uploader)
      return { ok: true, holders: online }
    },
    { logger, admit, limitMessage: 'too many media requests, slow down', serial },
  )
}
