/**
 * One client fleet child: a share of the bench's clients, each a `socket.io-client` socket, in a process
 * of its own so the clients are spread over the machine's cores. Started by `FleetChildProcess` with its
 * config as JSON; logs clients in on `login`, runs its share of the routing phase on `signal`, and
 * exits on `close` or when the orchestrator goes.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { monotonicMs, round } from '../measure.js'
import type {
  ClientSpec,
  FleetChildConfig,
  FleetReport,
  FleetRequest,
  LoginResult,
  LoopDelay,
  SignalResult,
  SignalSend,
  Tally,
} from './fleet-ipc.js'
import { connectFleetSocket, type FleetSocket, type RequestOutcome } from './fleet-socket.js'
import { sentAtOf, timedOffer } from './sdp-signal.js'

/** How often a child says how far a login batch got: often enough to see a storm move, rarely enough to cost nothing. */
const PROGRESS_EVERY_MS = 2_000

/** Event-loop delay sampling period: fine enough to see a client process fall behind by tens of ms. */
const LOOP_DELAY_RESOLUTION_MS = 10

const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS })
loopDelay.enable()

/** The event-loop delay since the last call (nanoseconds in, ms out), then starts over. */
function loopDelaySinceLast(): LoopDelay {
  const delay = { p99Ms: round(loopDelay.percentile(99) / 1e6, 1), maxMs: round(loopDelay.max / 1e6, 1) }
  loopDelay.reset()
  return delay
}

const send = (message: FleetReport): void => {
  process.send?.(message)
}

const config = JSON.parse(process.argv[2] ?? 'null') as FleetChildConfig
const sockets = new Map<string, FleetSocket>()
/** One-way latencies of the signals that reached this child's clients, from the first one on. */
const oneWayMs: number[] = []
let lastReceivedAtMs = 0
/** Clients that were ready and then dropped, by Socket.IO's disconnect reason (`ping timeout`, `transport close`...). */
const dropped: Tally = {}
let onSignalReceived: (() => void) | undefined

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

function count(tally: Tally, key: string): void {
  tally[key] = (tally[key] ?? 0) + 1
}

async function login(clients: ClientSpec[], subscribeTimeoutMs: number): Promise<LoginResult> {
  const cpuStart = process.cpuUsage()
  loopDelaySinceLast()
  const result: LoginResult = {
    latenciesMs: [],
    nodes: [],
    lastReadyAtMs: 0,
    failures: {},
    subscriptions: {},
    cpuSeconds: 0,
    loopDelay: { p99Ms: 0, maxMs: 0 },
    dropped: {},
  }
  let failed = 0
  const progress = setInterval(
    () => send({ t: 'progress', ready: result.latenciesMs.length, failed }),
    PROGRESS_EVERY_MS,
  )
  const one = async ({ userId, node, subscribe }: ClientSpec): Promise<void> => {
    const startedAtMs = monotonicMs()
    const url = config.urls[node]
    if (url === undefined) throw new Error(`${userId}: no node ${node}`)
    const socket = connectFleetSocket({ impl: config.impl, url, userId, timeoutMs: config.loginTimeoutMs })
    try {
      await socket.ready
    } catch (error) {
      failed++
      count(result.failures, (error as Error).message)
      return
    }
    const readyAtMs = monotonicMs()
    result.latenciesMs.push(readyAtMs - startedAtMs)
    result.nodes.push(node)
    result.lastReadyAtMs = Math.max(result.lastReadyAtMs, readyAtMs)
    sockets.set(userId, socket)
    socket.onSignal = received
    socket.onDropped = (reason) => count(dropped, reason)
    if (subscribe.length > 0) count(result.subscriptions, await socket.subscribe(subscribe, subscribeTimeoutMs))
  }
  await Promise.all(clients.map(one))
  clearInterval(progress)
  result.cpuSeconds = cpuSecondsSince(cpuStart)
  result.loopDelay = loopDelaySinceLast()
  result.dropped = { ...dropped }
  return result
}

function received(data: unknown): void {
  const sentAtMs = sentAtOf(data)
  if (sentAtMs === undefined) return
  lastReceivedAtMs = monotonicMs()
  oneWayMs.push(lastReceivedAtMs - sentAtMs)
  onSignalReceived?.()
}

async function signal(sends: SignalSend[], signalsPerSender: number, expectReceived: number): Promise<SignalResult> {
  const cpuStart = process.cpuUsage()
  loopDelaySinceLast()
  const acks: Tally = {}
  let firstSentAtMs: number | null = null
  const sender = async ({ from, to, link }: SignalSend): Promise<void> => {
    const socket = sockets.get(from)
    if (!socket) {
      acks['not-logged-in'] = (acks['not-logged-in'] ?? 0) + signalsPerSender
      return
    }
    for (let i = 0; i < signalsPerSender; i++) {
      const sentAtMs = monotonicMs()
      firstSentAtMs ??= sentAtMs
      const outcome: RequestOutcome = await socket.signal(to, link, timedOffer(sentAtMs), config.signalAckTimeoutMs)
      count(acks, outcome)
    }
  }
  await Promise.all(sends.map(sender))
  await allReceived(expectReceived)
  onSignalReceived = undefined
  return {
    oneWayMs,
    acks,
    firstSentAtMs,
    lastReceivedAtMs,
    missing: Math.max(0, expectReceived - oneWayMs.length),
    cpuSeconds: cpuSecondsSince(cpuStart),
    loopDelay: loopDelaySinceLast(),
    dropped: { ...dropped },
  }
}

/** Resolves once `expected` signals reached this child's clients, or `signalDrainMs` after the call. */
function allReceived(expected: number): Promise<void> {
  if (oneWayMs.length >= expected) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, config.signalDrainMs)
    onSignalReceived = () => {
      if (oneWayMs.length < expected) return
      clearTimeout(timer)
      resolve()
    }
  })
}

function close(): void {
  for (const socket of sockets.values()) socket.close()
  process.exit(0)
}

function fail(error: unknown): void {
  send({ t: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  process.exit(1)
}

process.on('message', (raw) => {
  const message = raw as FleetRequest
  if (message.t === 'login') {
    login(message.clients, message.subscribeTimeoutMs).then((result) => send({ t: 'logged-in', result }), fail)
  } else if (message.t === 'signal') {
    signal(message.sends, message.signalsPerSender, message.expectReceived).then(
      (result) => send({ t: 'signaled', result }),
      fail,
    )
  } else if (message.t === 'close') {
    close()
  }
})
process.on('disconnect', close)
send({ t: 'started' })
