import { USER_ID_PATTERN } from '@ferry/protocol'

/**
 * The peers a download asks, in order: those the server named (holders, most recent first, then the
 * uploader when it is online), or, when the server could not say, the uploader alone. Never oneself,
 * never one twice, only user ids. One that is not reached or does not answer costs one attempt; the
 * server store comes after them all.
 */
export function peersToTry(named: readonly string[] | undefined, uploader: string, self: string): string[] {
  return [...new Set(named ?? [uploader])].filter((peer) => peer !== self && USER_ID_PATTERN.test(peer))
}
