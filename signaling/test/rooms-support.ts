import {
  type AckWith,
  encodeMessage,
  type FerryMessage,
  type FileMessage,
  type RoomSendMessage,
  type SendReceipt,
} from '@ferry/protocol'
import { type Client, login, requestRaw } from './harness.js'

/** A valid file message (its media need not exist: the server only routes it). */
export const FILE_MESSAGE: FileMessage = {
  type: 'file',
  mediaId: 'M'.repeat(32),
  uploader: 'alice',
  fileName: 'report.pdf',
  size: 1234,
  mime: 'application/pdf',
  sha256: 'a'.repeat(64),
  expiresAt: 0,
}

/** Logs in one client per user id, in order. */
export async function loggedIn<const U extends string>(
  connect: (auth: { userId: string }) => Client,
  ...users: U[]
): Promise<Record<U, Client>> {
  const clients = {} as Record<U, Client>
  for (const user of users) {
    clients[user] = connect({ userId: user })
    await login(clients[user])
  }
  return clients
}

export function join(client: Client, room: string): Promise<AckWith<{ members: string[] }>> {
  return requestRaw(client, 'room:join', { room }) as Promise<AckWith<{ members: string[] }>>
}

export function members(client: Client, room: string): Promise<AckWith<{ members: string[] }>> {
  return requestRaw(client, 'room:members', { room }) as Promise<AckWith<{ members: string[] }>>
}

export function send(
  client: Client,
  msg: RoomSendMessage,
  message: FerryMessage | Uint8Array,
): Promise<AckWith<SendReceipt>> {
  const bytes = message instanceof Uint8Array ? message : encodeMessage(message)
  return requestRaw(client, 'room:send', msg, bytes) as Promise<AckWith<SendReceipt>>
}

/** The error code of a refused answer (undefined when it was accepted). */
export function codeOf(ack: unknown): string | undefined {
  const answer = ack as { ok: boolean; code?: string }
  return answer.ok ? undefined : answer.code
}
