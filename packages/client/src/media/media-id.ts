import { MEDIA_ID_BYTES } from '@ferry/protocol'

/** A new media id: MEDIA_ID_BYTES random bytes in base64url (so it matches MEDIA_ID_PATTERN). */
export function newMediaId(): string {
  const bytes = new Uint8Array(MEDIA_ID_BYTES)
  crypto.getRandomValues(bytes)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}
