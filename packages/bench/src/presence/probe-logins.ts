import { round } from '../measure.js'
import type { ClientFleet } from './client-fleet.js'
import type { Tally } from './fleet-ipc.js'
import type { PresenceServers } from './presence-servers.js'
import { quietStats } from './server-quiet.js'

/** Logins timed one at a time before the ramp and after it: what one login costs with few and with N online. */
export const PROBE_LOGINS = 10

/** A probe login on a quiet server: seconds are plenty, and a stuck one ends the run. */
const PROBE_LOGIN_TIMEOUT_MS = 60_000

/**
 * How long a probe waits for its `presence:subscribe` ack; no ack for the first one means the server
 * does not know the event. An idle server answers within milliseconds, even on a busy machine; one
 * that ignores the event never does.
 */
const SUBSCRIBE_PROBE_TIMEOUT_MS = 10_000

/** What one login makes the server send, on average over the logins it is measured on. */
export interface LoginCost {
  bytes: number
  messages: number
}

/** `presence:subscribe` outcomes by kind; `unsupported` when the server never answered it; `off` when not asked. */
export type SubscribeFigure = { perClient: number; outcomes: Tally } | 'unsupported' | 'off'

/** Logins one at a time, each costed from the server's counters, and whether the server knows `presence:subscribe`. */
export class Probe {
  /** Users each client subscribes to: set to 0 once the server has shown it does not know the event. */
  subscribe: number
  /** Whether a subscription was tried yet; the first one decides whether the server knows the event. */
  #tried = false
  #unsupported = false
  readonly #server: PresenceServers
  readonly #fleet: ClientFleet
  readonly #users: string[]

  constructor(server: PresenceServers, fleet: ClientFleet, users: string[], subscribe: number) {
    this.#server = server
    this.#fleet = fleet
    this.#users = users
    this.subscribe = subscribe
  }

  /** PROBE_LOGINS logins one at a time, dealt to the server's nodes in turn. */
  async logins(label: string): Promise<LoginCost> {
    let before = await quietStats(this.#server)
    let bytes = 0
    let messages = 0
    for (let i = 0; i < PROBE_LOGINS; i++) {
      const client = {
        userId: `probe-${label}-${i}`,
        node: i % this.#server.urls.length,
        subscribe: pickUsers(this.#users, this.subscribe),
      }
      const result = await this.#fleet.login([client], PROBE_LOGIN_TIMEOUT_MS, SUBSCRIBE_PROBE_TIMEOUT_MS)
      if (result.latenciesMs.length === 0)
        throw new Error(`${client.userId} failed: ${JSON.stringify(result.failures)}`)
      if (client.subscribe.length > 0 && !this.#tried) {
        this.#tried = true
        this.#unsupported = result.subscriptions.timeout === 1
        if (this.#unsupported) this.subscribe = 0
      }
      const after = await quietStats(this.#server)
      bytes += after.sent.messageBytes - before.sent.messageBytes
      messages += after.sent.messages - before.sent.messages
      before = after
    }
    return { bytes: round(bytes / PROBE_LOGINS, 1), messages: round(messages / PROBE_LOGINS, 2) }
  }

  figure(outcomes: Tally): SubscribeFigure {
    if (this.#unsupported) return 'unsupported'
    return this.subscribe > 0 ? { perClient: this.subscribe, outcomes } : 'off'
  }
}

/** `count` distinct users picked at random from `users`, none of them `self`. */
export function pickUsers(users: readonly string[], count: number, self?: string): string[] {
  const picked = new Set<string>()
  const want = Math.min(count, users.length - (self === undefined ? 0 : 1))
  while (picked.size < want) {
    const user = users[Math.floor(Math.random() * users.length)]!
    if (user !== self) picked.add(user)
  }
  return [...picked]
}
