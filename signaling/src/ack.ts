import type { Ack, FerryErrorCode } from '@ferry/protocol'
import type { Logger } from './logger.js'

/** A request handler: gets the raw payload, answers with an `Ack`. It may throw or reject. */
export type RequestHandler = (msg: unknown) => Ack | Promise<Ack>

/**
 * What Socket.IO calls: the payload, then the ack function when the client asked for one. Socket.IO
 * appends the ack after whatever the client sent (possibly nothing, possibly extra arguments), and no
 * function can come off the wire, so the ack is the last argument if that is a function.
 */
export type RequestListener = (...args: unknown[]) => void
export const OK: Ack = { ok: true }

export function failure(code: FerryErrorCode, message: string): Ack {
  return { ok: false, code, message }
}

/**
 * Wraps a handler so no input can throw out of it: a throw or rejection is logged and answered as
 * `unknown`, and the server keeps serving everyone else. A missing or non-function ack just means
 * the answer is dropped; the request is still processed.
 */
export function guardRequest(event: string, handler: RequestHandler, logger: Logger): RequestListener {
  return (...args) => {
    const last = args.at(-1)
    const ack = typeof last === 'function' ? last : undefined
    const msg = ack !== undefined && args.length === 1 ? undefined : args[0]
    let answer: Promise<Ack>
    try {
      answer = Promise.resolve(handler(msg))
    } catch (error) {
      answer = Promise.reject(error)
    }
    answer
      .catch((error: unknown) => {
        logger.warn(`${event} failed: ${String(error)}`)
        return failure('unknown', 'the server could not handle the request')
      })
      .then((res) => reply(ack, res))
  }
}

function reply(ack: Function | undefined, res: Ack): void {
  if (ack === undefined) return
  try {
    ack(res)
  } catch {
    // The socket went away while the request ran; there is nobody left to answer.
  }
}
