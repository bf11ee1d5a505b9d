import { availableParallelism } from 'node:os'
import { round } from '../measure.js'
import type { PeerImpl } from '../peer-ipc.js'
import { show, verdict } from '../report-text.js'
import type { Ramp } from './presence-args.js'
import type { LoginFigures, PresenceRunOutcome, SignalFigures } from './run-presence.js'
import { SIGNAL_SDP_CHARS } from './sdp-signal.js'

/** The targets: a reconnect storm of 10,000 clients all ready within a minute... */
const TARGET_MAX_STORM_SECONDS = 60
/** ...10,000 idle clients holding less than 1 GiB of server RSS... */
const TARGET_MAX_RSS_MIB = 1024
/** ...(at this many clients)... */
const TARGET_CLIENTS = 10_000
/**
 * ...a login's cost independent of N: the last logins (N online) within this factor of the first
 * (nearly nobody online), room left for the random subscriptions of the logins measured...
 */
const TARGET_MAX_LAST_TO_FIRST_COST = 1.5
/** ...and signals routed with a one-way p99 under 100 ms. */
const TARGET_MAX_SIGNAL_P99_MS = 100

export interface PresenceReport {
  /** JSON objects, each printed as one line on stdout. */
  lines: Record<string, unknown>[]
  /** Human summary for stderr. */
  summary: string
}

const IMPLS: readonly PeerImpl[] = ['ferry', 'raw']

type Done = Extract<PresenceRunOutcome, { ok: true }>

/** The JSON line of a run that failed or timed out, printed as soon as it ended. */
export function failureLine(clients: number, ramp: Ramp, outcome: Extract<PresenceRunOutcome, { ok: false }>) {
  const { ok: _, ...rest } = outcome
  return { case: 'presence-login', clients, ramp, ...rest }
}

/** The JSON line for a client count this machine cannot reach at all. */
export function unreachableLine(clients: number, reason: string) {
  return { case: 'presence-login', clients, error: `not run: ${reason}` }
}

/**
 * One client count and ramp, over its runs: the login line (each side's fastest ramp, the ratios of
 * Ferry to raw) and, when signals were routed, the signal line (each side's run with the lowest p99).
 */
export function presenceReport(clients: number, ramp: Ramp, runs: PresenceRunOutcome[]): PresenceReport {
  const done = runs.filter((run): run is Done => run.ok)
  const fastest = (impl: PeerImpl): LoginFigures | null =>
    done
      .filter((run) => run.impl === impl)
      .map((run) => run.login)
      .reduce<LoginFigures | null>((a, b) => (a && a.rampSeconds <= b.rampSeconds ? a : b), null)
  const steadiest = (impl: PeerImpl): SignalFigures | null =>
    done
      .filter((run) => run.impl === impl)
      .flatMap((run) => (run.signal ? [run.signal] : []))
      .reduce<SignalFigures | null>((a, b) => (a && (a.p99Ms ?? Infinity) <= (b.p99Ms ?? Infinity) ? a : b), null)
  const ferry = fastest('ferry')
  const raw = fastest('raw')
  const lines: Record<string, unknown>[] = [
    {
      case: 'presence-login',
      clients,
      ramp,
      ferry,
      raw,
      ratio:
        ferry && raw
          ? {
              rampSeconds: ratio(ferry.rampSeconds, raw.rampSeconds),
              loginP99Ms: ratio(ferry.loginP99Ms, raw.loginP99Ms),
              rssGrowthMiB: ratio(ferry.rssGrowthMiB, raw.rssGrowthMiB),
              bytesPerLogin: ratio(ferry.bytesPerLogin, raw.bytesPerLogin),
              messagesPerLogin: ratio(ferry.messagesPerLogin, raw.messagesPerLogin),
              cpuSeconds: ratio(ferry.cpuSeconds, raw.cpuSeconds),
            }
          : null,
      cores: availableParallelism(),
      // Each run's ramp, and the machine's load around it: the bench's own processes count, others' too.
      runs: runs.map(({ impl, loadAverage, ...run }) =>
        run.ok ? { impl, rampSeconds: run.login.rampSeconds, loadAverage } : { impl, error: run.error, loadAverage },
      ),
    },
  ]
  const impls = IMPLS.filter((impl) => runs.some((run) => run.impl === impl))
  const parts = impls.map((impl) => loginSummary(clients, ramp, impl, impl === 'ferry' ? ferry : raw))

  const ferrySignal = steadiest('ferry')
  const rawSignal = steadiest('raw')
  if (ferrySignal || rawSignal) {
    lines.push({
      case: 'presence-signal',
      clients,
      ramp,
      sdpChars: SIGNAL_SDP_CHARS,
      ferry: ferrySignal,
      raw: rawSignal,
      ratio:
        ferrySignal && rawSignal
          ? {
              p50Ms: ratio(ferrySignal.p50Ms, rawSignal.p50Ms),
              p99Ms: ratio(ferrySignal.p99Ms, rawSignal.p99Ms),
              signalsPerSecond: ratio(ferrySignal.signalsPerSecond, rawSignal.signalsPerSecond),
            }
          : null,
    })
    parts.push(...impls.map((impl) => signalSummary(impl, impl === 'ferry' ? ferrySignal : rawSignal)))
  }
  return { lines, summary: `${clients} clients, ramp ${ramp}:\n  ${parts.join('\n  ')}` }
}

/** `ferry / raw`, rounded, or null when either is missing or raw is 0. */
export function ratio(ferry: number | null, raw: number | null): number | null {
  return ferry !== null && raw !== null && raw !== 0 ? round(ferry / raw, 2) : null
}

function loginSummary(clients: number, ramp: Ramp, impl: PeerImpl, f: LoginFigures | null): string {
  if (!f) return `${impl}: no completed run`
  const lines = [
    `${impl}: ${f.ready}/${clients} ready in ${f.rampSeconds} s, login p50 ${show(f.loginP50Ms, ' ms')} ` +
      `p99 ${show(f.loginP99Ms, ' ms')}; server ${f.cpuSeconds} CPU-s, RSS ${f.rssMiB} MiB ` +
      `(${signed(f.rssGrowthMiB)}, ${f.kbPerClient} KiB per client); ${f.messagesPerLogin} messages, ` +
      `${f.bytesPerLogin} bytes per login`,
    `  clients: ${f.clientCpuSeconds} CPU-s, event-loop delay p99 ${f.clientLoopDelay.p99Ms} ms, ` +
      `max ${f.clientLoopDelay.maxMs} ms (when high, the clients set the pace)`,
  ]
  if (Object.keys(f.failures).length > 0) lines.push(`  failed: ${JSON.stringify(f.failures)}`)
  if (Object.keys(f.dropped).length > 0) lines.push(`  dropped once ready: ${JSON.stringify(f.dropped)}`)
  if (f.listenDrops)
    lines.push(`  ${f.listenDrops} connection attempts dropped by a full accept queue (listen backlog)`)
  if (ramp === 'all') {
    lines.push(
      `  storm: all ready within ${TARGET_MAX_STORM_SECONDS} s: ` +
        verdict(f.ready === clients && f.rampSeconds <= TARGET_MAX_STORM_SECONDS),
    )
  }
  if (clients >= TARGET_CLIENTS) {
    lines.push(
      `  RSS under ${TARGET_MAX_RSS_MIB} MiB with ${clients} clients: ${verdict(f.rssMiB < TARGET_MAX_RSS_MIB)}`,
    )
  }
  const costRatio = (last: number, first: number): number => (first > 0 ? round(last / first, 2) : Infinity)
  const bytesRatio = costRatio(f.lastLogins.bytes, f.firstLogins.bytes)
  const messagesRatio = costRatio(f.lastLogins.messages, f.firstLogins.messages)
  lines.push(
    `  a login with ${clients} online: ${f.lastLogins.messages} messages, ${f.lastLogins.bytes} bytes; ` +
      `with nobody: ${f.firstLogins.messages}, ${f.firstLogins.bytes} (x${messagesRatio}, x${bytesRatio}; ` +
      `independent of N, within x${TARGET_MAX_LAST_TO_FIRST_COST}: ` +
      `${verdict(bytesRatio <= TARGET_MAX_LAST_TO_FIRST_COST && messagesRatio <= TARGET_MAX_LAST_TO_FIRST_COST)})`,
  )
  if (f.subscribe !== 'off') {
    lines.push(
      f.subscribe === 'unsupported'
        ? '  presence:subscribe: not answered by this server, skipped'
        : `  presence:subscribe x${f.subscribe.perClient}: ${JSON.stringify(f.subscribe.outcomes)}`,
    )
  }
  return lines.join('\n  ')
}

function signalSummary(impl: PeerImpl, s: SignalFigures | null): string {
  if (!s) return `${impl} signals: not run`
  return (
    `${impl} signals: ${s.delivered}/${s.sent} delivered (${s.pairs} pairs), one-way p50 ${show(s.p50Ms, ' ms')} ` +
    `p99 ${show(s.p99Ms, ' ms')}, ${show(s.signalsPerSecond, ' signals/s')}, server ${s.cpuSeconds} CPU-s, ` +
    `clients ${s.clientCpuSeconds} CPU-s (loop delay max ${s.clientLoopDelay.maxMs} ms) ` +
    `(p99 under ${TARGET_MAX_SIGNAL_P99_MS} ms: ${verdict(s.p99Ms !== null && s.p99Ms < TARGET_MAX_SIGNAL_P99_MS)})` +
    (s.delivered < s.sent
      ? `\n    acks: ${JSON.stringify(s.acks)}; dropped once ready: ${JSON.stringify(s.dropped)}`
      : '')
  )
}

function signed(value: number): string {
  return value < 0 ? String(value) : `+${value}`
}
