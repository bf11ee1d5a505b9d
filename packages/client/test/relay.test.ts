import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { FerryClient } from '../src/index.js'
import { collect, filesIn, type Harness, harness, next, randomFile, sha256, sha256File } from './helpers.js'

let h: Harness
let alice: FerryClient
let bob: FerryClient

before(async () => {
  h = await harness()
  alice = await h.client('alice', { transport: 'relay' })
  bob = await h.client('bob', { transport: 'relay' })
})
after(() => h.close())

test('relay only: a cmd, a buffer and a file all arrive intact through the server', async () => {
  const links = collect(alice, 'link')
  const cmd = next(bob, 'cmd')
  await alice.sendCmd('bob', 'via the server').done
  assert.equal((await cmd).data, 'via the server')
  assert.deepEqual(links[0], { peer: 'bob', state: 'open', transport: 'relay' })

  const bytes = randomBytes(3 * 1024 * 1024)
  const buffer = next(bob, 'buffer')
  await alice.sendBuffer('bob', bytes).done
  assert.equal(sha256((await buffer).data), sha256(bytes))

  const source = await randomFile(h.dir, 'relayed.bin', 20 * 1024 * 1024 + 5)
  const file = next(alice, 'file')
  await bob.sendFile('alice', source.path).done
  assert.equal(await sha256File((await file).file.path!), source.sha256)
})

test('relay only: cancelling mid-file leaves nothing on the receiver', async () => {
  const source = await randomFile(h.dir, 'cancel-me.bin', 64 * 1024 * 1024)
  const task = alice.sendFile('bob', source.path)
  await next(bob, 'receive-progress', (p) => p.taskId === task.id)
  const failed = next(bob, 'receive-failed', (e) => e.taskId === task.id)
  alice.cancelSend(task.id)
  await assert.rejects(task.done, { code: 'cancelled' })
  assert.equal((await failed).code, 'cancelled')
  for (let i = 0; i < 50 && (await filesIn(join(h.dir, 'bob'))).some((n) => n.endsWith('.part')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.ok(!(await filesIn(join(h.dir, 'bob'))).some((n) => n.endsWith('.part')))
})

test('with no usable candidates the link falls back to the relay and every kind still arrives', async () => {
  // A relay-only ICE policy with no TURN server gathers no candidates: no direct path can exist.
  const noPath = { iceTransportPolicy: 'relay' as const, connectTimeoutMs: 1500 }
  const carol = await h.client('carol', noPath)
  const dave = await h.client('dave', noPath)
  const opened = next(carol, 'link', (e) => e.state === 'open')
  const cmd = next(dave, 'cmd')
  await carol.sendCmd('dave', 'after fallback').done
  assert.equal((await cmd).data, 'after fallback')
  assert.equal((await opened).transport, 'relay')
  const bytes = randomBytes(1024 * 1024)
  const buffer = next(dave, 'buffer')
  await carol.sendBuffer('dave', bytes).done
  assert.equal(sha256((await buffer).data), sha256(bytes))
  const source = await randomFile(h.dir, 'fallback.bin', 5 * 1024 * 1024)
  const file = next(dave, 'file')
  await carol.sendFile('dave', source.path).done
  assert.equal((await file).file.sha256, source.sha256)
})

test('with relay disabled and no direct path, sending fails with no-route instead of hanging', async () => {
  const options = { iceTransportPolicy: 'relay' as const, connectTimeoutMs: 1000, transport: 'direct' as const }
  const erin = await h.client('erin', options)
  await h.client('frank', options)
  await assert.rejects(erin.sendCmd('frank', 'anyone?').done, { code: 'no-route' })
})
