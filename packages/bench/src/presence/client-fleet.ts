import { FleetChildProcess } from './fleet-child-process.js'
import type {
  ClientSpec,
  FleetChildConfig,
  LoginResult,
  LoopDelay,
  SignalResult,
  SignalSend,
  Tally,
} from './fleet-ipc.js'

/** Two users exchanging signals on one link. */
export interface SignalPair {
  a: string
  b: string
  link: string
}

/**
 * The bench's clients, spread over several child processes (see `fleet-child.ts`): each login batch is
 * dealt out round-robin, so consecutive clients (and the two ends of a signal pair) sit in different
 * processes. Remembers which child holds which user for the routing phase.
 */
export class ClientFleet {
  readonly #children: FleetChildProcess[]
  readonly #childOf = new Map<string, number>()
  #next = 0
  #readyBefore = 0
  #failedBefore = 0

  private constructor(children: FleetChildProcess[]) {
    this.#children = children
  }

  static async start(count: number, config: FleetChildConfig): Promise<ClientFleet> {
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, i) => FleetChildProcess.start(`fleet child ${i + 1}`, config)),
    )
    const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    const failure = started.find((s) => s.status === 'rejected')
    if (failure) {
      for (const child of children) child.kill()
      throw failure.reason
    }
    return new ClientFleet(children)
  }

  get processes(): number {
    return this.#children.length
  }

  /**
   * Logs `clients` in, all at once (each child connects its share without waiting), each waiting up to
   * `subscribeTimeoutMs` for its subscription's ack; rejects after `timeoutMs`.
   */
  async login(clients: ClientSpec[], timeoutMs: number, subscribeTimeoutMs: number): Promise<LoginResult> {
    const shares = this.#children.map((): ClientSpec[] => [])
    for (const client of clients) {
      const index = this.#next++ % this.#children.length
      shares[index]!.push(client)
      this.#childOf.set(client.userId, index)
    }
    const busy = this.#children.filter((_, i) => shares[i]!.length > 0)
    for (const [i, child] of this.#children.entries()) {
      if (shares[i]!.length === 0) continue
      child.progress = { ready: 0, failed: 0 }
      child.send({ t: 'login', clients: shares[i]!, subscribeTimeoutMs })
    }
    const results = await Promise.all(busy.map(async (child) => (await child.next('logged-in', timeoutMs)).result))
    const merged = mergeLogins(results)
    for (const child of busy) child.progress = { ready: 0, failed: 0 }
    this.#readyBefore += merged.latenciesMs.length
    this.#failedBefore += Object.values(merged.failures).reduce((a, b) => a + b, 0)
    return merged
  }

  /** Clients ready and failed so far, the batch under way included (as of its children's last progress). */
  progress(): { ready: number; failed: number } {
    let ready = this.#readyBefore
    let failed = this.#failedBefore
    for (const child of this.#children) {
      ready += child.progress.ready
      failed += child.progress.failed
    }
    return { ready, failed }
  }

  /**
   * The routing phase: both ends of every pair send `signalsPerSender` signals to the other, each after
   * the previous one's ack, all pairs at once. Rejects after `timeoutMs`.
   */
  async signal(pairs: SignalPair[], signalsPerSender: number, timeoutMs: number): Promise<SignalResult> {
    const sends = this.#children.map((): SignalSend[] => [])
    const expected = this.#children.map(() => 0)
    const childOf = (userId: string): number => {
      const index = this.#childOf.get(userId)
      if (index === undefined) throw new Error(`${userId} is not a client of this fleet`)
      return index
    }
    for (const { a, b, link } of pairs) {
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        sends[childOf(from)]!.push({ from, to, link })
        expected[childOf(to)]! += signalsPerSender
      }
    }
    for (const [i, child] of this.#children.entries()) {
      child.send({ t: 'signal', sends: sends[i]!, signalsPerSender, expectReceived: expected[i]! })
    }
    const results = await Promise.all(
      this.#children.map(async (child) => (await child.next('signaled', timeoutMs)).result),
    )
    return mergeSignals(results)
  }

  kill(): void {
    for (const child of this.#children) child.kill()
  }
}

function addTally(into: Tally, from: Tally): Tally {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n
  return into
}

function mergeLogins(results: LoginResult[]): LoginResult {
  return {
    latenciesMs: results.flatMap((r) => r.latenciesMs),
    nodes: results.flatMap((r) => r.nodes),
    lastReadyAtMs: Math.max(0, ...results.map((r) => r.lastReadyAtMs)),
    failures: results.reduce<Tally>((t, r) => addTally(t, r.failures), {}),
    subscriptions: results.reduce<Tally>((t, r) => addTally(t, r.subscriptions), {}),
    cpuSeconds: results.reduce((sum, r) => sum + r.cpuSeconds, 0),
    loopDelay: worstLoopDelay(results.map((r) => r.loopDelay)),
    dropped: results.reduce<Tally>((t, r) => addTally(t, r.dropped), {}),
  }
}

/** The worst of several children's (or batches') event-loop delays. */
export function worstLoopDelay(delays: LoopDelay[]): LoopDelay {
  return {
    p99Ms: Math.max(0, ...delays.map((d) => d.p99Ms)),
    maxMs: Math.max(0, ...delays.map((d) => d.maxMs)),
  }
}

function mergeSignals(results: SignalResult[]): SignalResult {
  const firsts = results.flatMap((r) => (r.firstSentAtMs === null ? [] : [r.firstSentAtMs]))
  return {
    oneWayMs: results.flatMap((r) => r.oneWayMs),
    acks: results.reduce<Tally>((t, r) => addTally(t, r.acks), {}),
    firstSentAtMs: firsts.length > 0 ? Math.min(...firsts) : null,
    lastReceivedAtMs: Math.max(0, ...results.map((r) => r.lastReceivedAtMs)),
    missing: results.reduce((sum, r) => sum + r.missing, 0),
    cpuSeconds: results.reduce((sum, r) => sum + r.cpuSeconds, 0),
    loopDelay: worstLoopDelay(results.map((r) => r.loopDelay)),
    dropped: results.reduce<Tally>((t, r) => addTally(t, r.dropped), {}),
  }
}
