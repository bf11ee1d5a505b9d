import { availableParallelism } from 'node:os'
import { show } from '../report-text.js'
import type { Ramp } from './presence-args.js'
import { type PresenceReport, ratio } from './presence-report.js'
import type { LoginFigures, NodeLoginFigures, PresenceRunOutcome, SignalFigures } from './run-presence.js'
import { SIGNAL_SDP_CHARS } from './sdp-signal.js'

type Done = Extract<PresenceRunOutcome, { ok: true }>

/**
 * `--nodes 2`, one client count and ramp: Ferry with the clients spread over two nodes against Ferry
 * with them all on one node, both over the same Redis. The login line (each side's fastest ramp, the
 * ratios of two nodes to one) and, when signals were routed, the signal line (each side's run with the
 * lowest p99).
 */
export function presenceNodesReport(clients: number, ramp: Ramp, runs: PresenceRunOutcome[]): PresenceReport {
  const ferry = runs.filter((run) => run.impl === 'ferry')
  const done = ferry.filter((run): run is Done => run.ok)
  const fastest = (nodes: number): LoginFigures | null =>
    done
      .filter((run) => run.nodes === nodes)
      .map((run) => run.login)
      .reduce<LoginFigures | null>((a, b) => (a && a.rampSeconds <= b.rampSeconds ? a : b), null)
  const steadiest = (nodes: number): SignalFigures | null =>
    done
      .filter((run) => run.nodes === nodes)
      .flatMap((run) => (run.signal ? [run.signal] : []))
      .reduce<SignalFigures | null>((a, b) => (a && (a.p99Ms ?? Infinity) <= (b.p99Ms ?? Infinity) ? a : b), null)
  const two = fastest(2)
  const one = fastest(1)
  const lines: Record<string, unknown>[] = [
    {
      case: 'presence-nodes-login',
      clients,
      ramp,
      twoNodes: two,
      oneNode: one,
      ratio:
        two && one
          ? {
              rampSeconds: ratio(two.rampSeconds, one.rampSeconds),
              loginP99Ms: ratio(two.loginP99Ms, one.loginP99Ms),
              // The largest node's RSS against the one node's: what each machine must hold.
              largestNodeRssMiB: ratio(largest(two.perNode, 'rssMiB'), largest(one.perNode, 'rssMiB')),
              rssGrowthMiB: ratio(two.rssGrowthMiB, one.rssGrowthMiB),
              bytesPerLogin: ratio(two.bytesPerLogin, one.bytesPerLogin),
              messagesPerLogin: ratio(two.messagesPerLogin, one.messagesPerLogin),
              cpuSeconds: ratio(two.cpuSeconds, one.cpuSeconds),
            }
          : null,
      cores: availableParallelism(),
      runs: ferry.map(({ nodes, loadAverage, ...run }) =>
        run.ok ? { nodes, rampSeconds: run.login.rampSeconds, loadAverage } : { nodes, error: run.error, loadAverage },
      ),
    },
  ]
  const parts = [loginSummary(clients, 2, two), loginSummary(clients, 1, one)]

  const twoSignal = steadiest(2)
  const oneSignal = steadiest(1)
  if (twoSignal || oneSignal) {
    lines.push({
      case: 'presence-nodes-signal',
      clients,
      ramp,
      sdpChars: SIGNAL_SDP_CHARS,
      twoNodes: twoSignal,
      oneNode: oneSignal,
      ratio:
        twoSignal && oneSignal
          ? {
              p50Ms: ratio(twoSignal.p50Ms, oneSignal.p50Ms),
              p99Ms: ratio(twoSignal.p99Ms, oneSignal.p99Ms),
              signalsPerSecond: ratio(twoSignal.signalsPerSecond, oneSignal.signalsPerSecond),
            }
          : null,
    })
    parts.push(signalSummary(2, twoSignal), signalSummary(1, oneSignal))
  }
  return { lines, summary: `${clients} clients, ramp ${ramp}, Ferry over Redis:\n  ${parts.join('\n  ')}` }
}

function largest(perNode: NodeLoginFigures[], key: 'rssMiB'): number | null {
  return perNode.length > 0 ? Math.max(...perNode.map((node) => node[key])) : null
}

function loginSummary(clients: number, nodes: number, f: LoginFigures | null): string {
  const label = nodes === 1 ? 'one node' : `${nodes} nodes`
  if (!f) return `${label}: no completed run`
  const lines = [
    `${label}: ${f.ready}/${clients} ready in ${f.rampSeconds} s, login p50 ${show(f.loginP50Ms, ' ms')} ` +
      `p99 ${show(f.loginP99Ms, ' ms')}; ${f.messagesPerLogin} messages, ${f.bytesPerLogin} bytes per login`,
    ...f.perNode.map(
      (node, i) =>
        `  node ${i + 1}: ${node.ready} ready, login p99 ${show(node.loginP99Ms, ' ms')}, RSS ${node.rssMiB} MiB ` +
        `(+${node.rssGrowthMiB}, peak +${node.peakRssGrowthMiB}), ${node.cpuSeconds} CPU-s`,
    ),
  ]
  if (f.redis) lines.push(`  Redis: +${f.redis.memoryGrowthMiB} MiB used, ${f.redis.cpuSeconds} CPU-s`)
  if (Object.keys(f.failures).length > 0) lines.push(`  failed: ${JSON.stringify(f.failures)}`)
  if (Object.keys(f.dropped).length > 0) lines.push(`  dropped once ready: ${JSON.stringify(f.dropped)}`)
  return lines.join('\n  ')
}

function signalSummary(nodes: number, s: SignalFigures | null): string {
  const label = nodes === 1 ? 'one node' : `${nodes} nodes`
  if (!s) return `${label} signals: not run`
  return (
    `${label} signals: ${s.delivered}/${s.sent} delivered (${s.pairs} pairs, ${s.crossNodePairs} across nodes), ` +
    `one-way p50 ${show(s.p50Ms, ' ms')} p99 ${show(s.p99Ms, ' ms')}, ${show(s.signalsPerSecond, ' signals/s')}` +
    (s.delivered < s.sent ? `; acks ${JSON.stringify(s.acks)}, dropped ${JSON.stringify(s.dropped)}` : '')
  )
}
