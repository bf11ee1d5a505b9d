import { loadavg } from 'node:os'
import { BYTES_PER_MIB, monotonicMs, percentile, round } from '../measure.js'
import type { PeerImpl } from '../peer-ipc.js'
import { ClientFleet, type SignalPair, worstLoopDelay } from './client-fleet.js'
import type { ClientSpec, LoginResult, LoopDelay, Tally } from './fleet-ipc.js'
import { listenDrops } from './listen-drops.js'
import type { Ramp } from './presence-args.js'
import type { PresenceServerConfig } from './presence-server.js'
import { PresenceServers } from './presence-servers.js'
import { type LoginCost, PROBE_LOGINS, Probe, pickUsers, type SubscribeFigure } from './probe-logins.js'
import { fleetProcesses } from './reach.js'
import { type RedisFigures, redisFigures } from './redis-info.js'
import { quietStats } from './server-quiet.js'
import type { PresenceServerStats } from './server-stats.js'

/** A signal's ack, on a server routing a few thousand a second. */
const SIGNAL_ACK_TIMEOUT_MS = 10_000

/** After its last send, how long a fleet child waits for signals still due: anything later counts as missing. */
const SIGNAL_DRAIN_MS = 10_000

const KIB = 1024

export interface PresenceRunSpec {
  impl: PeerImpl
  clients: number
  ramp: Ramp
  /** Users each client follows once ready (Ferry only: the raw baseline has no presence). */
  subscribe: number
  pairs: number
  signalsPerSender: number
  serverOptions: Record<string, unknown>
  clientProcesses: number
  /** How long the ramp may take. */
  timeoutMs: number
  /** Server nodes: one, or (Ferry only, with `redis`) several sharing it, the clients dealt to them in turn. */
  nodes: number
  /** The Redis Ferry's nodes keep their state in, and the key prefix of this run (fresh, so no run sees another's state). */
  redis?: { url: string; prefix: string }
}

/** One node's share of a ramp: its clients, their logins, and what the node held and spent. */
export interface NodeLoginFigures {
  ready: number
  loginP50Ms: number | null
  loginP99Ms: number | null
  /** As in `LoginFigures`, this node alone. */
  rssMiB: number
  rssGrowthMiB: number
  peakRssGrowthMiB: number
  cpuSeconds: number
  /** What this node sent during the ramp, per client of its own logged in. */
  messagesPerLogin: number
  bytesPerLogin: number
}

export interface LoginFigures {
  ready: number
  failures: Tally
  /** Clients dropped after they were ready, by the end of the ramp, by Socket.IO's disconnect reason. */
  dropped: Tally
  /** Ramp start to the last client's ready event. */
  rampSeconds: number
  loginP50Ms: number | null
  loginP99Ms: number | null
  /**
   * Server RSS with the clients in (MiB) and its growth over the ramp, each read after a full GC; and
   * the peak growth during the ramp, garbage included. With several nodes, summed over them (the peaks
   * too, though they need not come at once: see `perNode`).
   */
  rssMiB: number
  rssGrowthMiB: number
  peakRssGrowthMiB: number
  /** RSS growth per client, in KiB. */
  kbPerClient: number
  /** Server CPU time from the ramp start until it went quiet after the last login (all nodes). */
  cpuSeconds: number
  /** The same figures node by node, in node order (one entry on one node). */
  perNode: NodeLoginFigures[]
  /** With Ferry's state in Redis: Redis's `used_memory` growth and its CPU time over the ramp. */
  redis: { memoryGrowthMiB: number; cpuSeconds: number } | null
  /** The fleet children's CPU time over the ramp, all of them together. */
  clientCpuSeconds: number
  /** The worst event-loop delay of a fleet child during the ramp. */
  clientLoopDelay: LoopDelay
  /**
   * Connection attempts the kernel dropped during the ramp because the server's accept queue was full
   * (see `listenDrops`); null where it cannot be read.
   */
  listenDrops: number | null
  /** Everything the server sent during the ramp, per client logged in. */
  bytesPerLogin: number
  messagesPerLogin: number
  /** The first PROBE_LOGINS logins (nearly nobody online) and the last ones (N online), one at a time. */
  firstLogins: LoginCost
  lastLogins: LoginCost
  subscribe: SubscribeFigure
}

export interface SignalFigures {
  pairs: number
  /** Pairs whose two ends are on different nodes (their signals cross from one node to the other). */
  crossNodePairs: number
  signalsPerSender: number
  sent: number
  delivered: number
  missing: number
  acks: Tally
  p50Ms: number | null
  p99Ms: number | null
  /** Signals delivered per second, first send to last delivery. */
  signalsPerSecond: number | null
  /** Server CPU time over the routing phase (all nodes). */
  cpuSeconds: number
  /** With Ferry's state in Redis: Redis's CPU time over the routing phase. */
  redisCpuSeconds: number | null
  /** The fleet children's CPU time over the routing phase, all of them together. */
  clientCpuSeconds: number
  /** The worst event-loop delay of a fleet child during the routing phase. */
  clientLoopDelay: LoopDelay
  /**
   * Clients dropped after they were ready, from the ramp to the end of the routing phase, by reason: a
   * dropped client's signals count as `not-connected`, not as lost by the server.
   */
  dropped: Tally
}

/**
 * The machine's 1-minute load average when the run started and when it ended: on a machine shared with
 * other work, times and latencies mean little without it (the bench's own processes count too).
 */
export type LoadAverage = [start: number, end: number]

export type PresenceRunOutcome =
  | {
      ok: true
      impl: PeerImpl
      nodes: number
      fleetProcesses: number
      loadAverage: LoadAverage
      login: LoginFigures
      signal: SignalFigures | null
    }
  | {
      ok: false
      impl: PeerImpl
      nodes: number
      phase: string
      error: string
      ready: number
      failed: number
      elapsedSeconds: number
      loadAverage: LoadAverage
    }

/** Killers of whatever a run has running, so Ctrl-C can stop it. */
const running = new Set<() => void>()

export function killRunning(): void {
  for (const kill of running) kill()
}

/** The N users of a run, named as short chat user ids are. */
export function userIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `user-${String(i).padStart(5, '0')}`)
}

function loadAverage1m(): number {
  return round(loadavg()[0] ?? 0, 2)
}

/**
 * One run against a fresh server child: PROBE_LOGINS logins one at a time, the ramp of N clients, a
 * quiet wait, PROBE_LOGINS more one at a time, then the routing phase. Never rejects: a failure or a
 * timeout comes back as an outcome naming the phase and how far the logins got.
 */
export async function runPresence(spec: PresenceRunSpec): Promise<PresenceRunOutcome> {
  const startedAtMs = monotonicMs()
  const loadAtStart = loadAverage1m()
  let phase = 'start'
  let server: PresenceServers | undefined
  let fleet: ClientFleet | undefined
  const kill = (): void => {
    // The server first: Ferry's would otherwise announce every client leaving to all the others.
    server?.kill()
    fleet?.kill()
  }
  running.add(kill)
  try {
    server = await PresenceServers.start(Array.from({ length: spec.nodes }, () => serverConfig(spec)))
    const processes = fleetProcesses(spec.clients + 2 * PROBE_LOGINS, spec.clientProcesses)
    fleet = await ClientFleet.start(processes, {
      impl: spec.impl,
      urls: server.urls,
      loginTimeoutMs: spec.timeoutMs,
      signalAckTimeoutMs: SIGNAL_ACK_TIMEOUT_MS,
      signalDrainMs: SIGNAL_DRAIN_MS,
    })
    const users = userIds(spec.clients)
    const probe = new Probe(server, fleet, users, spec.impl === 'ferry' ? spec.subscribe : 0)

    phase = 'first logins'
    const firstLogins = await probe.logins('first')
    phase = 'ramp'
    const ramp = await rampUp(server, fleet, users, spec, probe.subscribe)
    phase = 'last logins'
    const lastLogins = await probe.logins('last')
    const { subscriptions, ...rampFigures } = ramp
    const login: LoginFigures = { ...rampFigures, firstLogins, lastLogins, subscribe: probe.figure(subscriptions) }

    let signal: SignalFigures | null = null
    if (spec.pairs > 0) {
      phase = 'signal'
      signal = await routeSignals(server, fleet, users, spec)
    }
    const loadAverage: LoadAverage = [loadAtStart, loadAverage1m()]
    return { ok: true, impl: spec.impl, nodes: spec.nodes, fleetProcesses: processes, loadAverage, login, signal }
  } catch (error) {
    const { ready, failed } = fleet?.progress() ?? { ready: 0, failed: 0 }
    return {
      ok: false,
      impl: spec.impl,
      nodes: spec.nodes,
      phase,
      error: error instanceof Error ? error.message : String(error),
      ready,
      failed,
      elapsedSeconds: round((monotonicMs() - startedAtMs) / 1000, 1),
      loadAverage: [loadAtStart, loadAverage1m()],
    }
  } finally {
    kill()
    running.delete(kill)
  }
}

/** What each node runs: Ferry's server with the bench's options (and the run's Redis), or the raw baseline. */
function serverConfig(spec: PresenceRunSpec): PresenceServerConfig {
  if (spec.impl === 'raw') {
    if (spec.nodes !== 1) throw new Error('the raw baseline runs on one node only')
    return { kind: 'raw' }
  }
  if (spec.nodes > 1 && spec.redis === undefined) throw new Error('several Ferry nodes need a Redis to share')
  const redis = spec.redis === undefined ? {} : { redisUrl: spec.redis.url, redisPrefix: spec.redis.prefix }
  return { kind: 'ferry', options: { ...spec.serverOptions, ...redis } }
}

type RampFigures = Omit<LoginFigures, 'firstLogins' | 'lastLogins' | 'subscribe'> & { subscriptions: Tally }

/** The N clients logged in (client i on node i mod nodes), all at once or batch after batch, within the run's timeout. */
async function rampUp(
  server: PresenceServers,
  fleet: ClientFleet,
  users: string[],
  spec: PresenceRunSpec,
  subscribe: number,
): Promise<RampFigures> {
  const clients: ClientSpec[] = users.map((userId, i) => ({
    userId,
    node: i % spec.nodes,
    subscribe: pickUsers(users, subscribe, userId),
  }))
  const batch = spec.ramp === 'all' ? clients.length : spec.ramp
  const rssBefore = await server.nodeStats(true)
  const before = await quietStats(server)
  const nodesBefore = await server.nodeStats()
  const redisBefore = await redisNow(spec)
  server.baseline()
  const dropsBefore = listenDrops()
  const startMs = monotonicMs()
  const deadlineMs = startMs + spec.timeoutMs
  const results: LoginResult[] = []
  for (let i = 0; i < clients.length; i += batch) {
    const leftMs = Math.max(1, Math.round(deadlineMs - monotonicMs()))
    try {
      results.push(await fleet.login(clients.slice(i, i + batch), leftMs, leftMs))
    } catch (error) {
      const timedOut = monotonicMs() >= deadlineMs
      throw timedOut ? new Error(`not all ready within the --timeout of ${spec.timeoutMs / 1000} s`) : error
    }
  }
  const dropsAfter = listenDrops()
  const after = await quietStats(server)
  const nodesAfter = await server.nodeStats()
  const redisAfter = await redisNow(spec)
  const peaksMiB = await server.peakRssGrowthMiB()
  const rssAfter = await server.nodeStats(true)
  const latencies = results.flatMap((r) => r.latenciesMs)
  const nodeOfLatency = results.flatMap((r) => r.nodes)
  const ready = latencies.length
  const lastReadyAtMs = Math.max(...results.map((r) => r.lastReadyAtMs))
  const rssAfterBytes = sumOf(rssAfter.map((s) => s.rssBytes))
  const growthBytes = rssAfterBytes - sumOf(rssBefore.map((s) => s.rssBytes))
  const sent = sentDelta(before, after)
  const perNode = rssAfter.map((rss, node): NodeLoginFigures => {
    const own = latencies.filter((_, i) => nodeOfLatency[i] === node)
    const nodeSent = sentDelta(nodesBefore[node]!, nodesAfter[node]!)
    return {
      ready: own.length,
      loginP50Ms: own.length > 0 ? round(percentile(own, 50), 1) : null,
      loginP99Ms: own.length > 0 ? round(percentile(own, 99), 1) : null,
      rssMiB: round(rss.rssBytes / BYTES_PER_MIB, 1),
      rssGrowthMiB: round((rss.rssBytes - rssBefore[node]!.rssBytes) / BYTES_PER_MIB, 1),
      peakRssGrowthMiB: peaksMiB[node] ?? 0,
      cpuSeconds: round(nodesAfter[node]!.cpuSeconds - nodesBefore[node]!.cpuSeconds, 2),
      messagesPerLogin: round(nodeSent.messages / Math.max(1, own.length), 2),
      bytesPerLogin: round(nodeSent.bytes / Math.max(1, own.length), 1),
    }
  })
  return {
    ready,
    failures: sumTallies(results.map((r) => r.failures)),
    dropped: results.at(-1)?.dropped ?? {},
    rampSeconds: round((lastReadyAtMs - startMs) / 1000, 2),
    loginP50Ms: ready > 0 ? round(percentile(latencies, 50), 1) : null,
    loginP99Ms: ready > 0 ? round(percentile(latencies, 99), 1) : null,
    rssMiB: round(rssAfterBytes / BYTES_PER_MIB, 1),
    rssGrowthMiB: round(growthBytes / BYTES_PER_MIB, 1),
    peakRssGrowthMiB: round(sumOf(peaksMiB), 1),
    kbPerClient: round(growthBytes / KIB / Math.max(1, ready), 1),
    cpuSeconds: round(after.cpuSeconds - before.cpuSeconds, 2),
    perNode,
    redis:
      redisBefore && redisAfter
        ? {
            memoryGrowthMiB: round((redisAfter.usedMemoryBytes - redisBefore.usedMemoryBytes) / BYTES_PER_MIB, 1),
            cpuSeconds: round(redisAfter.cpuSeconds - redisBefore.cpuSeconds, 2),
          }
        : null,
    clientCpuSeconds: round(
      results.reduce((sum, r) => sum + r.cpuSeconds, 0),
      2,
    ),
    clientLoopDelay: worstLoopDelay(results.map((r) => r.loopDelay)),
    listenDrops: dropsBefore !== null && dropsAfter !== null ? dropsAfter - dropsBefore : null,
    bytesPerLogin: round(sent.bytes / Math.max(1, ready), 1),
    messagesPerLogin: round(sent.messages / Math.max(1, ready), 2),
    subscriptions: sumTallies(results.map((r) => r.subscriptions)),
  }
}

/**
 * P pairs of clients exchanging signals: consecutive users, so each end sits in another fleet child
 * and, on several nodes, on another node.
 */
async function routeSignals(
  server: PresenceServers,
  fleet: ClientFleet,
  users: string[],
  spec: PresenceRunSpec,
): Promise<SignalFigures> {
  const pairs: SignalPair[] = []
  let crossNodePairs = 0
  for (let j = 0; j < Math.min(spec.pairs, Math.floor(users.length / 2)); j++) {
    pairs.push({ a: users[2 * j]!, b: users[2 * j + 1]!, link: `bench-link-${j}` })
    // As in `rampUp`: user i is on node i mod nodes.
    if ((2 * j) % spec.nodes !== (2 * j + 1) % spec.nodes) crossNodePairs++
  }
  // Each send waits at most its ack timeout, then the children wait for stragglers; a minute on top for the rest.
  const timeoutMs = spec.signalsPerSender * SIGNAL_ACK_TIMEOUT_MS + SIGNAL_DRAIN_MS + 60_000
  const before = await quietStats(server)
  const redisBefore = await redisNow(spec)
  const result = await fleet.signal(pairs, spec.signalsPerSender, timeoutMs)
  const after = await server.stats()
  const redisAfter = await redisNow(spec)
  const delivered = result.oneWayMs.length
  const spanMs = result.firstSentAtMs === null ? 0 : result.lastReceivedAtMs - result.firstSentAtMs
  return {
    pairs: pairs.length,
    crossNodePairs,
    signalsPerSender: spec.signalsPerSender,
    sent: 2 * pairs.length * spec.signalsPerSender,
    delivered,
    missing: result.missing,
    acks: result.acks,
    p50Ms: delivered > 0 ? round(percentile(result.oneWayMs, 50), 1) : null,
    p99Ms: delivered > 0 ? round(percentile(result.oneWayMs, 99), 1) : null,
    signalsPerSecond: delivered > 0 && spanMs > 0 ? Math.round(delivered / (spanMs / 1000)) : null,
    cpuSeconds: round(after.cpuSeconds - before.cpuSeconds, 2),
    redisCpuSeconds: redisBefore && redisAfter ? round(redisAfter.cpuSeconds - redisBefore.cpuSeconds, 2) : null,
    clientCpuSeconds: round(result.cpuSeconds, 2),
    clientLoopDelay: result.loopDelay,
    dropped: result.dropped,
  }
}

function sentDelta(before: PresenceServerStats, after: PresenceServerStats): { bytes: number; messages: number } {
  return {
    bytes: after.sent.messageBytes - before.sent.messageBytes,
    messages: after.sent.messages - before.sent.messages,
  }
}

/** The run's Redis figures now, or null when Ferry's state is not in Redis. */
async function redisNow(spec: PresenceRunSpec): Promise<RedisFigures | null> {
  return spec.redis === undefined ? null : await redisFigures(spec.redis.url)
}

function sumOf(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

function sumTallies(tallies: Tally[]): Tally {
  const sum: Tally = {}
  for (const tally of tallies) for (const [key, n] of Object.entries(tally)) sum[key] = (sum[key] ?? 0) + n
  return sum
}
