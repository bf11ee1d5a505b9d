import {
  CLIENT_EVENTS,
  type ClientEventArgs,
  type ClientEventName,
  type ClientToServerEvents,
  type FerryErrorCode,
  parseValue,
} from '@ferry/protocol'
import { describeError } from '../describe-error.js'
import type { Logger } from '../logger.js'
import type { SerialRunner } from '../serial.js'
import type { FerrySocket } from '../types.js'

/** What the client's ack callback gets for event `E` (nothing for events without an ack). */
export type AnswerOf<E extends ClientEventName> = ClientToServerEvents[E] extends (
  ...args: [...infer _Args, (res: infer R) => void]
) => void
  ? R
  : undefined

/** A refusal, typed so it fits the answer of any event. */
export type Refusal = { ok: false; code: FerryErrorCode; message: string }

export function refusal(code: FerryErrorCode, message: string): Refusal {
  return { ok: false, code, message }
}

export type EventHandler<E extends ClientEventName> = (
  ...args: ClientEventArgs<E>
) => AnswerOf<E> | Promise<AnswerOf<E>> | (AnswerOf<E> extends undefined ? void : never)

export interface EventOptions {
  logger: Logger
  /** Takes this request's budget before anything else; false refuses it with `rate-limited` (or drops it). */
  admit?(): boolean | Promise<boolean>
  /**
   * Runs each request, its admission included, after the previous ones handed to this runner finished:
   * requests of one socket that share a runner are handled in the order they arrived.
   */
  serial?: SerialRunner
  /** Said in the `rate-limited` refusal. */
  limitMessage?: string
  /** For events without an ack: what to do when the arguments do not parse. Default: drop the event. */
  onInvalid?(message: string): void
}

/**
 * Registers the handler of a client event so that it only ever sees parsed arguments. In order, for
 * every event the client emits:
 *
 * 1. the ack is split off (the last argument, if a function: no function comes off the wire, Socket.IO
 *    appends it when the client asked for an answer; events that take no ack never call it);
 * 2. `admit()` takes the request's budget: malformed requests cost as much as good ones;
 * 3. each argument is parsed with the event's schema in `CLIENT_EVENTS`: a bad one is answered
 *    `invalid-argument` (or handed to `onInvalid`), and the handler is not called;
 * 4. the handler runs; whatever it (or `admit`) throws or rejects with is logged and answered
 *    `unknown`, and the server carries on serving everyone else.
 *
 * With `serial`, steps 2 to 4 of one request finish before those of the next begin.
 */
export function onClientEvent<E extends ClientEventName>(
  socket: FerrySocket,
  event: E,
  handle: EventHandler<E>,
  options: EventOptions,
): void {
  const spec = CLIENT_EVENTS[event]
  const listener = (...raw: unknown[]): void => {
    const last = raw.at(-1)
    const ack = typeof last === 'function' ? (last as (res: unknown) => void) : undefined
    const given = ack === undefined ? raw : raw.slice(0, -1)
    const answer = (res: unknown): void => {
      if (!spec.ack || ack === undefined) return
      try {
        ack(res)
      } catch {
        // The socket went away while the request ran; there is nobody left to answer.
      }
    }

    const run = async (): Promise<unknown> => {
      const admitted = options.admit?.()
      if (admitted !== undefined && !(typeof admitted === 'boolean' ? admitted : await admitted)) {
        return refusal('rate-limited', options.limitMessage ?? `too many ${event} requests, slow down`)
      }
      const args: unknown[] = []
      for (const [index, schema] of spec.args.entries()) {
        const parsed = parseValue(schema, given[index])
        if (!parsed.ok) {
          const message = spec.args.length === 1 ? parsed.message : `argument ${index + 1}: ${parsed.message}`
          if (spec.ack) return refusal('invalid-argument', message)
          options.onInvalid?.(message)
          return undefined
        }
        args.push(parsed.value)
      }
      return await (handle as (...a: unknown[]) => unknown)(...args)
    }

    let result: Promise<unknown>
    try {
      result = options.serial ? options.serial(run) : run()
    } catch (error) {
      result = Promise.reject(error)
    }
    result
      .catch((error: unknown) => {
        options.logger.warn(`${event} from ${socket.data.userId} failed: ${describeError(error)}`)
        return refusal('unknown', 'the server could not handle the request')
      })
      .then(answer)
  }
  socket.on(event, listener as never)
}
