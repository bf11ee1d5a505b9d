import { createHmac, timingSafeEqual } from 'node:crypto'
import { USER_ID_PATTERN } from '@ferry/protocol'
import type { SessionStore } from '../session-store.js'

/** Bytes of the secret media keys are signed with: as many as the HMAC-SHA-256 output. */
export const MEDIA_KEY_SECRET_BYTES = 32

/** A key's MAC, base64url: 32 bytes are 43 characters. */
const MAC_CHARS = 43

/** Told apart from any other use of the same secret. */
const KEY_CONTEXT = 'ferry media key v1'

/** Longest socket id taken from a key; Socket.IO's are 20 characters. */
const MAX_SOCKET_ID_CHARS = 64

/**
 * Bearer keys of the media routes, one per session, that every server node sharing the secret can check:
 * a key is `MAC || base64url(userId "\n" socketId)`, the MAC an HMAC-SHA-256 of the user and socket
 * with the secret. Checking one recomputes the MAC (compared in constant time), then asks the session
 * store whether that socket still owns the user: a key is worth exactly as much as the live session it
 * was handed to, on any node, and dies when that session ends or a newer login replaces it. Nothing is
 * held per key, so nothing needs revoking.
 */
export class MediaKeys {
  constructor(
    private readonly secret: Buffer,
    private readonly sessions: SessionStore,
  ) {}

  /** The key of the session of `userId` on socket `socketId`. */
  issue(userId: string, socketId: string): string {
    return this.mac(userId, socketId) + Buffer.from(`${userId}\n${socketId}`).toString('base64url')
  }

  /** The user a key stands for, or undefined for a made-up key or one whose session ended. */
  async userOf(key: string): Promise<string | undefined> {
    const parts = Buffer.from(key.slice(MAC_CHARS), 'base64url').toString().split('\n')
    if (parts.length !== 2) return undefined
    const [userId = '', socketId = ''] = parts
    if (!USER_ID_PATTERN.test(userId) || socketId === '' || socketId.length > MAX_SOCKET_ID_CHARS) return undefined
    const expected = Buffer.from(this.mac(userId, socketId))
    const given = Buffer.from(key.slice(0, MAC_CHARS))
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    return (await this.sessions.owner(userId)) === socketId ? userId : undefined
  }

  private mac(userId: string, socketId: string): string {
    return createHmac('sha256', this.secret).update(`${KEY_CONTEXT}\n${userId}\n${socketId}`).digest('base64url')
  }
}
