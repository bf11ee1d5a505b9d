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
  await page.route(`**${MEDIA_HTTP_PREFIX}*/content*`, async (route) => {
    const offset = Number(new URL(route.request().url()).searchParams.get('offset'))
    if (Number.isSafeInteger(offset) && offset >= fromOffset) held.push(route)
    else await route.continue()
  })
  return { heldPieces: () => held.length }
}
