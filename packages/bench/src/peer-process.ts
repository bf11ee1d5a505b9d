import { type ChildMessage, Inbox, type ParentMessage, type PeerConfig } from './peer-ipc.js'

/** A peer child's view of the orchestrator. */
export interface PeerProcess {
  config: PeerConfig
  send(message: ChildMessage): void
  next<T extends ParentMessage['t']>(t: T): Promise<Extract<ParentMessage, { t: T }>>
  /** Reports `error` to the orchestrator and exits: for failures seen in event handlers. */
  fail(error: unknown): void
}

/**
 * Runs a peer child: reads its config, routes IPC, and on any error reports it to the orchestrator and
 * exits non-zero. `main` returns after the orchestrator's `close`; the process then exits, even if a
 * native WebRTC handle would keep it alive.
 */
export function runPeer(main: (peer: PeerProcess) => Promise<void>): void {
  const inbox = new Inbox<ParentMessage>()
  const send = (message: ChildMessage): void => {
    process.send?.(message)
  }
  const fail = (error: unknown): void => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
    if (!process.connected) process.exit(1)
    process.send?.({ t: 'error', message } satisfies ChildMessage, () => process.exit(1))
  }
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
  process.on('message', (message) => inbox.push(message as ParentMessage))
  process.on('disconnect', () => process.exit(1))

  let config: PeerConfig
  try {
    config = JSON.parse(process.argv[2] ?? '') as PeerConfig
  } catch {
    fail(new Error('a peer child takes its config as one JSON argument'))
    return
  }
  main({ config, send, next: (t) => inbox.next(t), fail }).then(() => process.exit(0), fail)
}
