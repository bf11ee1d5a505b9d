import type { Redis } from 'ioredis'
import { describeError } from '../../describe-error.js'
import type { Logger } from '../../logger.js'

/**
 * Makes the adapter's subscriber connection safe across Redis outages. The sharded adapter calls
 * `ssubscribe`/`sunsubscribe` without waiting for their answers: while Redis is away those promises
 * reject with nobody to catch them (an unhandled rejection, fatal to a host process with Node's
 * defaults), and a channel whose subscription failed would stay unsubscribed after the reconnect,
 * so its room's frames would never reach this node. Here every such call has its failure logged, and
 * every channel the adapter still wants is subscribed again each time the connection is ready.
 */
export function guardSubscriber(sub: Redis, logger: Logger): void {
  const wanted = new Set<string>()
  const subscribe = sub.ssubscribe.bind(sub)
  const unsubscribe = sub.sunsubscribe.bind(sub)
  const logFailure = (what: string) => (error: unknown) =>
    logger.warn(`redis (adapter-sub): ${what} failed: ${describeError(error)}`)

  sub.ssubscribe = ((...args: Parameters<Redis['ssubscribe']>) => {
    for (const channel of channelsOf(args)) wanted.add(channel)
    const answer = subscribe(...args)
    answer.catch(logFailure('a subscription'))
    return answer
  }) as Redis['ssubscribe']

  sub.sunsubscribe = ((...args: Parameters<Redis['sunsubscribe']>) => {
    for (const channel of channelsOf(args)) wanted.delete(channel)
    const answer = unsubscribe(...args)
    answer.catch(logFailure('an unsubscription'))
    return answer
  }) as Redis['sunsubscribe']

  // ioredis subscribes again to what it saw succeed; this covers what failed while Redis was away.
  sub.on('ready', () => {
    for (const channel of wanted) subscribe(channel).catch(logFailure('a subscription after a reconnect'))
  })
}

/** The channel names among a call's arguments (a trailing callback, if any, is not one). */
function channelsOf(args: readonly unknown[]): string[] {
  return args.flat().flatMap((arg) => (typeof arg === 'string' ? [arg] : Buffer.isBuffer(arg) ? [arg.toString()] : []))
}
