import { FerryError } from '@ferry/protocol'
import type { ReceivedFile } from '../types.js'

/** How long the object URL of a saved file stays valid: long enough for the browser to start the download. */
const SAVE_URL_LIFETIME_MS = 60_000

/** Offers a received file to the user as a download under its name (browser only). */
export function saveFile(file: Pick<ReceivedFile, 'blob' | 'name'>): void {
  if (!file.blob || typeof document === 'undefined') {
    throw new FerryError('invalid-argument', 'saveFile needs a browser and a received Blob')
  }
  const url = URL.createObjectURL(file.blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = file.name || 'download'
  anchor.rel = 'noopener'
  anchor.style.display = 'none'
  document.body.append(anchor)
  anchor.click()
  anchor.remove()
  setTimeout(() => URL.revokeObjectURL(url), SAVE_URL_LIFETIME_MS)
}
