import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type AckWith, MAX_SIGNAL_BYTES } from '@ferry/protocol'
import { type Client, emitRaw, login, nextDisconnect, nextEvent, requestRaw, startServer } from './harness.js'
import { codeOf, loggedIn } from './rooms-support.js'

const MEDIA = 'A'.repeat(32)
const OTHER = 'B'.repeat(32)

function holders(client: Client, mediaId: unknown): Promise<AckWith<{ holders: string[] }>> {
  return requestRaw(client, 'media:holders', { mediaId }) as Promise<AckWith<{ holders: string[] }>>
}

/** Announces a media, and returns once the server has handled it (its next request on that socket is answered). */
async function have(client: Client, mediaId: unknown): Promise<void> {
  emitRaw(client, 'media:have', { mediaId })
  await holders(client, MEDIA)
}

test('holders are the online users that said they hold a media, most recent first, never the asker', async (t) => {
  const { connect } = await startServer(t)
  const { alice, bob, carol } = await loggedIn(connect, 'alice', 'bob', 'carol')
  assert.deepEqual(await holders(bob, MEDIA), { ok: true, holders: [] })

  await have(alice, MEDIA)
  assert.deepEqual(await holders(bob, MEDIA), { ok: true, holders: ['alice'] })
  await have(carol, MEDIA)
  assert.deepEqual(await holders(bob, MEDIA), { ok: true, holders: ['carol', 'alice'] })
  assert.deepEqual(await holders(alice, MEDIA), { ok: true, holders: ['carol'] })
  await have(alice, MEDIA)
  assert.deepEqual(await holders(bob, MEDIA), { ok: true, holders: ['alice', 'carol'] })
  assert.deepEqual(await holders(bob, OTHER), { ok: true, holders: [] })
})

test('a holder who goes offline is forgotten; a replaced session is not', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice, bob, carol } = await loggedIn(connect, 'alice', 'bob', 'carol')
  await have(alice, MEDIA)
  await have(carol, MEDIA)

  await requestRaw(bob, 'presence:subscribe', { users: ['carol'] })
  const offline = nextEvent(bob, 'presence:offline')
  carol.close()
  assert.deepEqual(await offline, { userId: 'carol' })
  assert.deepEqual(await holders(bob, MEDIA), { ok: true, holders: ['alice'] })
  assert.deepEqual(await server.mediaHolders.heldBy('carol'), [])

  const replaced = nextDisconnect(alice)
  await login(connect({ userId: 'alice' }))
  await replaced
  assert.deepEqual(await holders(bob, MEDIA), { ok: true, holders: ['alice'] })
})

test('bad media ids are refused with invalid-argument, and bad announcements are ignored', async (t) => {
  const { connect, server } = await startServer(t)
  const { alice } = await loggedIn(connect, 'alice')
  const bad: unknown[] = ['', 'short', 'A'.repeat(33), 'A'.repeat(31) + '!', 42, null, 'x'.repeat(MAX_SIGNAL_BYTES)]
  for (const mediaId of bad) {
    assert.equal(codeOf(await holders(alice, mediaId)), 'invalid-argument', JSON.stringify(mediaId).slice(0, 40))
    await have(alice, mediaId)
  }
  for (const msg of [undefined, 42, 'media', [MEDIA]]) {
    assert.equal(codeOf(await requestRaw(alice, 'media:holders', msg)), 'invalid-argument')
    emitRaw(alice, 'media:have', msg)
  }
  await holders(alice, MEDIA)
  assert.deepEqual(await server.mediaHolders.heldBy('alice'), [])
})
