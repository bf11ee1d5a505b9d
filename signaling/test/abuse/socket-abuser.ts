import type { Ack, HandshakeAuth } from '@ferry/protocol'
import { type Client, login, nextEvent, openClient, requestRaw } from '../harness.js'

/** Raw Socket.IO clients for abuse cases: logged in as anyone, sending anything, closed after the file. */
export class Abusers {
  private readonly opened: Client[] = []
  private count = 0

  constructor(private readonly url: () => string) {}

  /** A fresh user (or `userId`), logged in. */
  async user(userId = `abuser-${++this.count}`, auth: Omit<HandshakeAuth, 'userId'> = {}): Promise<Client> {
    const client = this.open({ userId, ...auth })
    await login(client)
    return client
  }

  /** A client not connected yet, for login abuses. */
  open(auth: Record<string, unknown>): Client {
    const client = openClient(this.url(), auth as HandshakeAuth)
    this.opened.push(client)
    return client
  }

  closeAll(): void {
    for (const client of this.opened.splice(0)) client.close()
  }
}

/** The code of a refused answer; undefined when it was accepted. */
export function codeOf(answer: unknown): string | undefined {
  const ack = answer as Ack
  return ack.ok ? undefined : ack.code
}

/** Sends `event` with `args` and resolves with the code of the server's answer. */
export async function answerCode(client: Client, event: string, ...args: unknown[]): Promise<string | undefined> {
  return codeOf(await requestRaw(client, event, ...args))
}

/** Resolves with the code the server ends `client`'s session with. */
export async function endedWith(client: Client, act: () => void): Promise<string> {
  const ended = nextEvent(client, 'session:ended')
  act()
  return (await ended).code
}
