import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type DeliveryMeta,
  decodeMessage,
  encodeMessage,
  MAX_ATTRS_BYTES,
  MAX_MESSAGE_BYTES,
  MTYPE,
} from '@ferry/protocol'
import { type Client, nextEvent, recordEvents, request, requestRaw, startServer } from './harness.js'
import { codeOf, FILE_MESSAGE, join, loggedIn, send } from './rooms-support.js'

/** Waits for the next delivery and decodes its message. */
async function nextDelivery(client: Client): Promise<{ meta: DeliveryMeta; message: unknown }> {
  const arrived = new Promise<[DeliveryMeta, Uint8Array]>((resolve) =>
    client.once('message:deliver', (meta, bytes) => resolve([meta, bytes])),
  )
  const [meta, bytes] = await Promise.race([arrived, nextEvent(client, 'session:ended').then(() => assert.fail())])
  const decoded = decodeMessage(new Uint8Array(bytes))
  assert.ok(decoded.ok, 'the delivered message decodes')
  return { meta, message: decoded.message }
}

/** Proves `client` has been sent everything the server sent it before now: a link request to it arrives. */
async function flushed(from: Client, client: Client, to: string): Promise<void> {
  const requested = nextEvent(client, 'link:request')
  assert.deepEqual(await request(from, 'link:request', { to }), { ok: true })
  await requested
}

test('a room message reaches every other member and nobody else', async (t) => {
  const { connect } = await startServer(t)
  const { alice, bob, carol, dave } = await loggedIn(connect, 'alice', 'bob', 'carol', 'dave')
  for (const member of [alice, bob, carol]) assert.equal((await join(member, 'team')).ok, true)
  const aliceSaw = recordEvents(alice)
  const daveSaw = recordEvents(dave)

  const toBob = nextDelivery(bob)
  const toCarol = nextDelivery(carol)
  const receipt = await send(alice, { room: 'team' }, { type: 'text', text: 'hello team' })
  assert.ok(receipt.ok)
  assert.equal(typeof receipt.mid, 'string')
  assert.equal(typeof receipt.mtime, 'number')
  for (const delivered of [await toBob, await toCarol]) {
    assert.deepEqual(delivered.meta, {
      mid: receipt.mid,
      mtime: receipt.mtime,
      from: 'alice',
      mtype: MTYPE.text,
      attrs: '',
      target: { type: 'room', rid: 'team' },
      offline: false,
    })
    assert.deepEqual(delivered.message, { type: 'text', text: 'hello team' })
  }
  await flushed(bob, dave, 'dave')
  await flushed(bob, alice, 'alice')
  assert.deepEqual(
    daveSaw.map((event) => event.name),
    ['link:request'],
    'a non-member gets nothing',
  )
  assert.deepEqual(
    aliceSaw.map((event) => event.name),
    ['link:request'],
    'the sender gets nothing back',
  )
})

test('a non-member cannot send to a room', async (t) => {
  const { connect } = await startServer(t)
  const { alice, bob } = await loggedIn(connect, 'alice', 'bob')
  assert.equal((await join(alice, 'team')).ok, true)
  const aliceSaw = recordEvents(alice)
  assert.equal(codeOf(await send(bob, { room: 'team' }, { type: 'text', text: 'let me in' })), 'not-a-member')
  assert.equal(codeOf(await send(bob, { room: 'empty' }, { type: 'text', text: 'anyone?' })), 'not-a-member')
  await flushed(bob, alice, 'alice')
  assert.deepEqual(
    aliceSaw.map((event) => event.name),
    ['link:request'],
  )
})

test('mtype defaults by message type; mid, mtype and attrs given are kept; a resent mid is delivered once', async (t) => {
  const { connect } = await startServer(t)
  const { alice, bob } = await loggedIn(connect, 'alice', 'bob')
  for (const member of [alice, bob]) assert.equal((await join(member, 'team')).ok, true)

  let delivered = nextDelivery(bob)
  assert.ok((await send(alice, { room: 'team' }, FILE_MESSAGE)).ok)
  assert.equal((await delivered).meta.mtype, MTYPE.file)
  assert.deepEqual((await delivered).message, FILE_MESSAGE)

  const image = { ...FILE_MESSAGE, type: 'image' as const, width: 640, height: 480 }
  delivered = nextDelivery(bob)
  assert.ok((await send(alice, { room: 'team' }, image)).ok)
  assert.equal((await delivered).meta.mtype, MTYPE.image)

  const bobSaw = recordEvents(bob)
  delivered = nextDelivery(bob)
  const msg = { room: 'team', mid: 'order-42', mtype: 77, attrs: '{"priority":"high"}' }
  const first = await send(alice, msg, { type: 'text', text: 'custom' })
  assert.ok(first.ok)
  assert.equal(first.mid, 'order-42')
  const { meta } = await delivered
  assert.equal(meta.mid, 'order-42')
  assert.equal(meta.mtype, 77)
  assert.equal(meta.attrs, '{"priority":"high"}')

  assert.deepEqual(await send(alice, msg, { type: 'text', text: 'custom' }), first, 'the same receipt again')
  await flushed(alice, bob, 'bob')
  assert.deepEqual(
    bobSaw.map((event) => event.name),
    ['message:deliver', 'link:request'],
    'the resend was not delivered',
  )
})

test('bad mtypes, attrs, mids and messages are refused with their codes', async (t) => {
  const { connect } = await startServer(t)
  const { alice, bob } = await loggedIn(connect, 'alice', 'bob')
  for (const member of [alice, bob]) assert.equal((await join(member, 'team')).ok, true)
  const bobSaw = recordEvents(bob)
  const text = { type: 'text' as const, text: 'hi' }
  const refusals: [string, Promise<unknown>][] = [
    ['invalid-mtype', send(alice, { room: 'team', mtype: MTYPE.image }, text)],
    ['invalid-mtype', send(alice, { room: 'team', mtype: MTYPE.text }, FILE_MESSAGE)],
    ['invalid-mtype', send(alice, { room: 'team', mtype: 128 }, text)],
    ['invalid-mtype', send(alice, { room: 'team', mtype: 51.5 }, text)],
    ['invalid-argument', requestRaw(alice, 'room:send', { room: 'team', mtype: '30' }, encodeMessage(text))],
    ['invalid-argument', send(alice, { room: 'team', attrs: 'x'.repeat(MAX_ATTRS_BYTES + 1) }, text)],
    ['invalid-argument', send(alice, { room: 'team', attrs: 'é'.repeat(MAX_ATTRS_BYTES / 2 + 1) }, text)],
    ['invalid-argument', requestRaw(alice, 'room:send', { room: 'team', attrs: 42 }, encodeMessage(text))],
    ['invalid-argument', send(alice, { room: 'team', mid: 'has space' }, text)],
    ['invalid-argument', send(alice, { room: 'team', mid: 'x'.repeat(65) }, text)],
    ['invalid-argument', send(alice, { room: 'team' }, new Uint8Array([1, 2, 3]))],
    ['invalid-argument', send(alice, { room: 'team' }, new Uint8Array([0, 0, 0, 2, 0x7b, 0x7d]))],
    ['invalid-argument', requestRaw(alice, 'room:send', { room: 'team' }, 'not binary')],
    ['invalid-argument', requestRaw(alice, 'room:send', { room: 'team' })],
    ['invalid-argument', requestRaw(alice, 'room:send', 'team', new Uint8Array(8))],
    ['invalid-argument', send(alice, { room: 'a b' }, text)],
    ['message-too-large', send(alice, { room: 'team' }, { type: 'text', text: 'x'.repeat(MAX_MESSAGE_BYTES + 1) })],
  ]
  for (const [code, answer] of refusals) assert.equal(codeOf(await answer), code)
  assert.ok((await send(alice, { room: 'team', attrs: 'é'.repeat(MAX_ATTRS_BYTES / 2) }, text)).ok, 'at the limit')
  await flushed(alice, bob, 'bob')
  assert.deepEqual(
    bobSaw.map((event) => event.name),
    ['message:deliver', 'link:request'],
    'only the good send arrived',
  )
})
