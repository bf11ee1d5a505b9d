import assert from 'node:assert/strict'
import { type Delivery, decodeMessage } from '@ferry/protocol'
import { FerryServerApi } from '@ferry/server-sdk'
import type { SignalingServer, SignalingServerOptions } from '../src/index.js'
import { DEFAULT_ROOM_CAPS } from '../src/rooms/room-store.js'
import { type Client, EVENT_TIMEOUT_MS, login, startServer } from './harness.js'

/** An admin key as long as the server asks (MIN_ADMIN_KEY_CHARS). */
export const ADMIN_KEY = 'admin-key-of-the-api-tests-0123456789'

/** What the helpers need of a test: a way to clean up after it. */
type Cleanup = { after(fn: () => Promise<void> | void): void }

/** A logged-in socket and every delivery it got, decoded, in order. */
export interface Recipient {
  socket: Client
  deliveries: Delivery[]
}

/** A server with the API on, its SDK, and a way to log users in that records their deliveries. */
export async function startApiServer(
  t: Cleanup,
  options: Partial<SignalingServerOptions> = {},
): Promise<{
  server: SignalingServer
  api: FerryServerApi
  online(userId: string): Promise<Recipient>
}> {
  const { server, connect } = await startServer(t, { adminKey: ADMIN_KEY, ...options })
  return {
    server,
    api: new FerryServerApi({ url: server.url, adminKey: ADMIN_KEY }),
    async online(userId) {
      const socket = connect({ userId })
      const deliveries: Delivery[] = []
      socket.on('message:deliver', (meta, bytes) => {
        const decoded = decodeMessage(new Uint8Array(bytes))
        assert.ok(decoded.ok, `a delivery to ${userId} decodes`)
        deliveries.push({ ...meta, message: decoded.message })
      })
      await login(socket)
      return { socket, deliveries }
    },
  }
}

/**
 * The API server with bob, carol, dave and a bystander online (alice, the sender, is not): alice, bob
 * and carol make up group `team`, alice and dave are in room `lobby`, the bystander is in neither.
 */
export async function startRecipientsScene(t: Cleanup): Promise<{
  server: SignalingServer
  api: FerryServerApi
  bob: Recipient
  carol: Recipient
  dave: Recipient
  bystander: Recipient
  everyone: Recipient[]
}> {
  const { server, api, online } = await startApiServer(t)
  const [bob, carol, dave, bystander] = (await Promise.all(['bob', 'carol', 'dave', 'bystander'].map(online))) as [
    Recipient,
    Recipient,
    Recipient,
    Recipient,
  ]
  await api.createGroup('team', ['alice', 'bob', 'carol'])
  await server.rooms.join('alice', 'lobby', DEFAULT_ROOM_CAPS)
  await server.rooms.join('dave', 'lobby', DEFAULT_ROOM_CAPS)
  return { server, api, bob, carol, dave, bystander, everyone: [bob, carol, dave, bystander] }
}

/** Resolves once `recipient` holds `count` deliveries, or rejects after EVENT_TIMEOUT_MS. */
export async function deliveriesOf(recipient: Recipient, count: number): Promise<Delivery[]> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while (recipient.deliveries.length < count) {
    if (Date.now() > deadline) throw new Error(`${recipient.deliveries.length} deliveries, expected ${count}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return recipient.deliveries
}

/**
 * Proves `recipients` got nothing more than they hold: a marker message is sent to each, and deliveries
 * to one socket keep their order, so once the marker is in, anything sent before it would be too.
 */
export async function assertNothingMore(api: FerryServerApi, ...recipients: Recipient[]): Promise<void> {
  const before = recipients.map((recipient) => recipient.deliveries.length)
  for (const recipient of recipients) {
    const userId = recipient.socket.auth as { userId: string }
    await api.sendMessage('marker', userId.userId, 'marker')
  }
  for (const [i, recipient] of recipients.entries()) {
    const got = await deliveriesOf(recipient, before[i]! + 1)
    assert.equal(got.length, before[i]! + 1, 'only the marker arrived')
    assert.equal(got.at(-1)?.from, 'marker')
    got.pop()
  }
}
