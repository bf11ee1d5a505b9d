import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { describeError } from '../describe-error.js'
import type { Logger } from '../logger.js'
import { drain, sendError } from './http-io.js'

/** A request listener that may finish later, or throw. */
export type UnsafeListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

/**
 * Runs `listener` so that nothing it throws or rejects with leaves the request: it is logged and
 * answered 500 `unknown`, or, when the answer had already begun, the connection is cut (a client must
 * not take half an answer for a whole one). The server goes on serving other requests.
 */
export function safely(listener: UnsafeListener, logger: Logger): RequestListener {
  return (req, res) => {
    const fail = (error: unknown): void => {
      try {
        logger.warn(`HTTP request failed: ${describeError(error)}`)
      } catch {
        // A logger that throws must not take the answer down with it.
      }
      answerFailure(res)
      drain(req)
    }
    try {
      listener(req, res)?.catch(fail)
    } catch (error) {
      fail(error)
    }
  }
}

function answerFailure(res: ServerResponse): void {
  try {
    if (res.writableEnded) return
    if (res.headersSent) res.destroy()
    else sendError(res, 500, 'unknown', 'the server failed')
  } catch {
    res.destroy()
  }
}
