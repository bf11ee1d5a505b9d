import { MEDIA_HTTP_PREFIX } from '@ferry/protocol'

/**
 * When this process last started a request to a `/media/` route, by `performance.now()`. Ferry's upload
 * hashes the file and copies it into the local cache before its first request to the server store, and
 * its progress events say nothing until the first piece is in; the first request is where the server
 * phase starts. Wraps the global `fetch` (which the client uses) once; requests go through unchanged.
 */
export class MediaRequestClock {
  #first: number | undefined

  constructor() {
    const fetchNow = globalThis.fetch
    globalThis.fetch = (input, init) => {
      if (this.#first === undefined && isMediaRoute(input)) this.#first = performance.now()
      return fetchNow(input, init)
    }
  }

  /** Forgets the last request: the next one to a media route sets `first`. */
  reset(): void {
    this.#first = undefined
  }

  /** When the first request to a media route since `reset` started; throws when there was none. */
  get first(): number {
    if (this.#first === undefined) throw new Error('no request to the media store since the clock was reset')
    return this.#first
  }
}

function isMediaRoute(input: string | URL | Request): boolean {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  return new URL(url).pathname.startsWith(MEDIA_HTTP_PREFIX)
}
