import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { Logger } from './logger.js'
import type { SessionStore } from './session-store.js'

export const HEALTH_PATH = '/healthz'

/**
 * Plain HTTP next to Socket.IO (which answers its own path before this runs): `GET /healthz` says
 * the server is up and how many users are online, for load balancers and uptime checks. 404 elsewhere.
 */
export function createHealthHandler(store: SessionStore, logger: Logger): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (req.method !== 'GET' || path !== HEALTH_PATH) {
      sendJson(res, 404, { ok: false, error: 'not found' })
      return
    }
    store
      .count()
      .then((users) => sendJson(res, 200, { ok: true, users }))
      .catch((error: unknown) => {
        logger.warn(`health check failed: ${String(error)}`)
        sendJson(res, 500, { ok: false, error: 'session store unavailable' })
      })
  }
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
  res.end(json)
}
