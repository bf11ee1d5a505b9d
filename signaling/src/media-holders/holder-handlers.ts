import { type AckWith, type FerryErrorCode, MEDIA_ID_PATTERN } from '@ferry/protocol'
import { guardRequest } from '../ack.js'
import { SIGNAL_BURST, SIGNAL_RATE_PER_SECOND } from '../constants.js'
import type { Logger } from '../logger.js'
import type { SessionStore } from '../session-store.js'
import { TokenBucket } from '../token-bucket.js'
import type { FerrySocket } from '../types.js'
import { isPlainObject } from '../validate.js'
import { MAX_HOLDERS_LISTED, type MediaHolders } from './media-holders.js'

export interface HoldersContext {
  store: SessionStore
  logger: Logger
  holders: MediaHolders
}

type Refusal = { ok: false; code: FerryErrorCode; message: string }

/**
 * `media:have` (this user holds a media) and `media:holders` (who online holds one). Knowing a media id
 * is the capability to fetch it, so any logged-in user who knows one may ask. Both take a token from
 * the socket's bucket: an answered request is refused with `rate-limited`, an announcement dropped.
 */
export function registerMediaHolders(socket: FerrySocket, { store, logger, holders }: HoldersContext): void {
  const self = socket.data.userId
  const bucket = new TokenBucket(SIGNAL_RATE_PER_SECOND, SIGNAL_BURST)

  socket.on('media:have', (msg: unknown) => {
    if (!bucket.take()) return
    const mediaId = mediaIdOf(msg)
    if (typeof mediaId === 'string') holders.have(self, mediaId)
  })

  async function list(msg: unknown): Promise<AckWith<{ holders: string[] }>> {
    if (!bucket.take()) return refused('rate-limited', 'too many media requests, slow down')
    const mediaId = mediaIdOf(msg)
    if (typeof mediaId !== 'string') return mediaId
    const online: string[] = []
    for (const holder of holders.holdersOf(mediaId)) {
      if (holder === self || !(await store.isOnline(holder))) continue
      online.push(holder)
      if (online.length === MAX_HOLDERS_LISTED) break
    }
    return { ok: true, holders: online }
  }

  socket.on('media:holders', guardRequest('media:holders', list, logger))
}

function mediaIdOf(msg: unknown): string | Refusal {
  if (!isPlainObject(msg)) return refused('invalid-argument', 'the payload must be an object')
  if (typeof msg.mediaId !== 'string' || !MEDIA_ID_PATTERN.test(msg.mediaId)) {
    return refused('invalid-argument', 'mediaId must be a media id')
  }
  return msg.mediaId
}

function refused(code: FerryErrorCode, message: string): Refusal {
  return { ok: false, code, message }
}
