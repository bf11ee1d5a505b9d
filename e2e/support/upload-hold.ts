import { MEDIA_HTTP_PREFIX } from '@ferry/protocol'
import type { Page, Route } from '@playwright/test'

/** A page's media uploads to the server store, held from a chosen offset on. */
export interface UploadHold {
  /** Upload requests held so far: while there is one, the upload it belongs to cannot finish. */
  heldPieces(): number
}

/**
 * From now on, every upload piece `page` sends to the server store (`PUT /media/:id/content?offset=N`)
 * at `fromOffset` or beyond is held in the browser and never reaches the server, as if the network had
 * stalled there; pieces before it go through. The upload then stands still at a known point.
 */
export async function holdUploads(page: Page, fromOffset: number): Promise<UploadHold> {
  const held: Route[] = []
  // Only the pieces to hold are routed: the others never pass through the test process.
  const toHold = (url: URL) =>
    url.pathname.startsWith(MEDIA_HTTP_PREFIX) && url.pathname.endsWith(CONTENT_SUFFIX) && offsetOf(url) >= fromOffset
  await page.route(toHold, (route) => {
    held.push(route)
  })
  return { heldPieces: () => held.length }
}

/** The last path segment of an upload piece's route: `/media/:id/content`. */
const CONTENT_SUFFIX = '/content'

/** The `offset` of an upload piece's URL; -1 when it has none that makes sense. */
function offsetOf(url: URL): number {
  const offset = Number(url.searchParams.get('offset') ?? Number.NaN)
  return Number.isSafeInteger(offset) ? offset : -1
}
