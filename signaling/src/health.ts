import { describeError } from './describe-error.js'
import { sendJson } from './http/http-io.js'
import type { HttpHandler } from './http/request-router.js'
import type { Logger } from './logger.js'
import type { SessionStore } from './session-store.js'

export const HEALTH_PATH = '/healthz'

/**
 * Plain HTTP next to Socket.IO, the media routes and the server API: `GET /healthz` says the server is
 * up and how many users are online, for load balancers and uptime checks. 404 elsewhere.
 */
export function createHealthHandler(store: SessionStore, logger: Logger): HttpHandler {
  return async (request, _req, res) => {
    if (request.method !== 'GET' || request.path !== HEALTH_PATH) {
      sendJson(res, 404, { ok: false, error: 'not found' })
      return
    }
    let users: number
    try {
      users = await store.count()
    } catch (error) {
      logger.warn(`health check failed: ${describeError(error)}`)
      sendJson(res, 500, { ok: false, error: 'session store unavailable' })
      return
    }
    sendJson(res, 200, { ok: true, users })
  }
}
