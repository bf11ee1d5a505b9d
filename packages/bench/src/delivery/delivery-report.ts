import { round } from '../measure.js'
import { verdict } from '../report-text.js'
import type { DeliveryRun } from './delivery-run.js'

export interface DeliveryReport {
  /** One JSON object, printed as one line on stdout. */
  line: Record<string, unknown>
  /** Human summary for stderr. */
  summary: string
}

/**
 * Messages per second delivered (the best run of each side), the ratio Ferry / raw, and whether every
 * run delivered each message exactly once and nothing again after the acks.
 */
export function deliveryReport(messages: number, users: number, state: string, runs: DeliveryRun[]): DeliveryReport {
  const best = (impl: DeliveryRun['impl'], seconds: (run: DeliveryRun) => number): number | null => {
    const of = runs.filter((run) => run.impl === impl)
    return of.length === 0 ? null : round(Math.max(...of.map((run) => messages / seconds(run))), 0)
  }
  const ferryPerSecond = best('ferry', (run) => run.deliverSeconds)
  const rawPerSecond = best('raw', (run) => run.deliverSeconds)
  const ratio = ferryPerSecond !== null && rawPerSecond !== null ? round(ferryPerSecond / rawPerSecond, 3) : null
  const exactlyOnce = runs.every((run) => run.delivered === messages && run.duplicates === 0 && run.redelivered === 0)
  const line = {
    case: 'delivery',
    state,
    messages,
    users,
    ferryDeliveredPerSecond: ferryPerSecond,
    rawDeliveredPerSecond: rawPerSecond,
    ratio,
    ferryKeptPerSecond: best('ferry', (run) => run.keepSeconds),
    rawKeptPerSecond: best('raw', (run) => run.keepSeconds),
    exactlyOnce,
    runs: runs.map((run) => ({
      impl: run.impl,
      keepSeconds: round(run.keepSeconds, 3),
      deliverSeconds: round(run.deliverSeconds, 3),
      delivered: run.delivered,
      duplicates: run.duplicates,
      redelivered: run.redelivered,
    })),
  }
  const summary = [
    `delivery of ${messages} kept messages to ${users} users logging in at once (Ferry state: ${state}):`,
    `Ferry ${ferryPerSecond} msg/s, raw Socket.IO ${rawPerSecond} msg/s, ratio ${ratio}`,
    `kept: Ferry ${line.ferryKeptPerSecond} msg/s through the server API, raw ${line.rawKeptPerSecond} msg/s`,
    `every message once, none again after the acks: ${verdict(exactlyOnce)}`,
  ].join('\n  ')
  return { line, summary }
}
