import { MEDIA_ID_PATTERN, parseValue, USER_ID_PATTERN, userIdList } from '@ferry/protocol'
import { requestWith, type SignalingSocket } from '../signaling-client.js'

/**
 * How long to wait for the server to name holders. A server that predates `media:holders` never
 * answers; past this the download goes on to the uploader, as it would without holders.
 */
const HOLDERS_TIMEOUT_MS = 2000

/**
 * Peers one answer may name that are tried, at most: the server names at most 8 holders, then the
 * uploader. Each that never answers costs a download MEDIA_SOURCE_TIMEOUT_MS before the next.
 */
const MAX_HOLDERS_TRIED = 9

/** The signaling side of media holders: tell the server what this client holds, ask who holds a media. */
export interface MediaHolderSignals {
  /** This client's cache holds `mediaId` now (after an upload or a download). */
  have(mediaId: string): void
  /**
   * Online users to fetch `mediaId` from, in the order to try them: holders, most recent first, then
   * `uploader` when it is online. Undefined when the server cannot say (not connected, no answer).
   */
  holders(mediaId: string, uploader: string): Promise<string[] | undefined>
}

/** Holder signals over the signaling socket (undefined while logged out). */
export function signalingHolders(socket: () => SignalingSocket | undefined): MediaHolderSignals {
  return {
    have(mediaId) {
      if (MEDIA_ID_PATTERN.test(mediaId)) socket()?.emit('media:have', { mediaId })
    },
    async holders(mediaId, uploader) {
      const current = socket()
      // While reconnecting nobody would answer in time: go straight to the uploader and the store.
      if (!current?.connected) return undefined
      const request = USER_ID_PATTERN.test(uploader) ? { mediaId, uploader } : { mediaId }
      const answer = await requestWith<{ holders: unknown }>(current, 'media:holders', [request], HOLDERS_TIMEOUT_MS)
      if (!answer.ok || !Array.isArray(answer.holders)) return undefined
      const parsed = parseValue(userIdList(MAX_HOLDERS_TRIED), answer.holders.slice(0, MAX_HOLDERS_TRIED))
      return parsed.ok ? parsed.value : undefined
    },
  }
}
