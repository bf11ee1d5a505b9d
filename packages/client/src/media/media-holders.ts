import { MEDIA_ID_PATTERN } from '@ferry/protocol'
import { requestWith, type SignalingSocket } from '../signaling-client.js'

/**
 * How long to wait for the server to name holders. A server that predates `media:holders` never
 * answers; past this the download goes on to the uploader, as it would without holders.
 */
const HOLDERS_TIMEOUT_MS = 2000

/** Holders named in one answer, at most (the server names fewer); more would only be tried in vain. */
const MAX_HOLDERS_TRIED = 16

/** The signaling side of media holders: tell the server what this client holds, ask who holds a media. */
export interface MediaHolderSignals {
  /** This client's cache holds `mediaId` now (after an upload or a download). */
  have(mediaId: string): void
  /** Online users holding `mediaId`, most recent first; none when the server cannot say. */
  holders(mediaId: string): Promise<string[]>
}

/** Holder signals over the signaling socket (undefined while logged out). */
export function signalingHolders(socket: () => SignalingSocket | undefined): MediaHolderSignals {
  return {
    have(mediaId) {
      if (MEDIA_ID_PATTERN.test(mediaId)) socket()?.emit('media:have', { mediaId })
    },
    async holders(mediaId) {
      const current = socket()
      // While reconnecting nobody would answer in time: go straight to the uploader and the store.
      if (!current?.connected) return []
      const answer = await requestWith<{ holders: string[] }>(
        current,
        'media:holders',
        [{ mediaId }],
        HOLDERS_TIMEOUT_MS,
      )
      if (!answer.ok || !Array.isArray(answer.holders)) return []
      return answer.holders.filter((holder) => typeof holder === 'string').slice(0, MAX_HOLDERS_TRIED)
    },
  }
}
