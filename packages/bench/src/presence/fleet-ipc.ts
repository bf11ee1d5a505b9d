/** What the orchestrator and its client fleet children (see `fleet-child.ts`) say to each other. */
import type { PeerImpl } from '../peer-ipc.js'

/** Handed to a fleet child as its only argument, as JSON. */
export interface FleetChildConfig {
  impl: PeerImpl
  /** The server's nodes: a client connects to the one its `ClientSpec.node` names. */
  urls: string[]
  /** How long a client's login may take, connection included. */
  loginTimeoutMs: number
  /** How long a sender waits for a signal's ack. */
  signalAckTimeoutMs: number
  /** After its last send, how long a child waits for signals still due to its clients. */
  signalDrainMs: number
}

/** A client to log in: who it is, its node, and whose presence it follows once ready (none: no subscription). */
export interface ClientSpec {
  userId: string
  /** Index of the node it connects to, in `FleetChildConfig.urls`. */
  node: number
  subscribe: string[]
}

/** One sender of the routing phase: `signals` offers to `to` on link `link`, each after the last one's ack. */
export interface SignalSend {
  from: string
  to: string
  link: string
}

export type FleetRequest =
  /** `subscribeTimeoutMs`: how long a client waits for the ack of `presence:subscribe` (then: `timeout`). */
  | { t: 'login'; clients: ClientSpec[]; subscribeTimeoutMs: number }
  | { t: 'signal'; sends: SignalSend[]; signalsPerSender: number; expectReceived: number }
  | { t: 'close' }

/** Outcomes by kind: `ok`, `refused:<code>`, `timeout`, or a login failure's reason. */
export type Tally = Record<string, number>

export interface LoginResult {
  /** Connect start to the ready event, in ms, of each client that got it. */
  latenciesMs: number[]
  /** The node of each client in `latenciesMs`, at the same index. */
  nodes: number[]
  /** `monotonicMs` of the last ready event (0 when none came). */
  lastReadyAtMs: number
  /** Clients that never got ready, by reason. */
  failures: Tally
  /** `presence:subscribe` outcomes of the clients that subscribed. */
  subscriptions: Tally
  /** This child's CPU time while the batch ran, in seconds. */
  cpuSeconds: number
  /** This child's event-loop delay while the batch ran: how far behind its clients fell (see `LoopDelay`). */
  loopDelay: LoopDelay
  /** Clients of this child that were ready and then dropped, so far, by Socket.IO's disconnect reason. */
  dropped: Tally
}

/** Event-loop delay of a fleet child over a phase, in ms: high values mean the clients, not the server, set the pace. */
export interface LoopDelay {
  p99Ms: number
  maxMs: number
}

export interface SignalResult {
  /** One-way latency of each signal that reached a client of this child, in ms. */
  oneWayMs: number[]
  /** Ack outcomes of this child's sends. */
  acks: Tally
  /** `monotonicMs` of this child's first send (null when it sent none). */
  firstSentAtMs: number | null
  /** `monotonicMs` of the last signal that reached this child (0 when none did). */
  lastReceivedAtMs: number
  /** Signals due to this child's clients that had not come when it stopped waiting. */
  missing: number
  cpuSeconds: number
  loopDelay: LoopDelay
  /** As in `LoginResult`: every drop so far, by reason. */
  dropped: Tally
}

export type FleetReport =
  | { t: 'started' }
  /** While a login batch runs, every PROGRESS_EVERY_MS: this child's clients ready and failed so far. */
  | { t: 'progress'; ready: number; failed: number }
  | { t: 'logged-in'; result: LoginResult }
  | { t: 'signaled'; result: SignalResult }
  | { t: 'error'; message: string }
