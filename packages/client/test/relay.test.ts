import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { collect, filesIn, next, randomFile, sha256, sha256File, useClients } from './helpers.js'

const t = useClients({ alice: { transport: 'relay' }, bob: { transport: 'relay' } })

test('relay only: a cmd, a buffer and a file all arrive intact through the server', async () => {
  const links = collect(t.alice, 'link')
  const cmd = next(t.bob, 'cmd')
  await t.alice.sendCmd('bob', 'via the server').done
  assert.equal((await cmd).data, 'via the server')
  assert.deepEqual(links[0], { peer: 'bob', state: 'open', transport: 'relay' })

  const bytes = randomBytes(3 * 1024 * 1024)
  const buffer = next(t.bob, 'buffer')
  await t.alice.sendBuffer('bob', bytes).done
  assert.equal(sha256((await buffer).data), sha256(bytes))

  const source = await randomFile(t.h.dir, 'relayed.bin', 20 * 1024 * 1024 + 5)
  const file = next(t.alice, 'file')
  await t.bob.sendFile('alice', source.path).done
  assert.equal(await sha256File((await file).file.path!), source.sha256)
})

test('relay only: cancelling mid-file leaves nothing on the receiver', async () => {
  const source = await randomFile(t.h.dir, 'cancel-me.bin', 64 * 1024 * 1024)
  const task = t.alice.sendFile('bob', source.path)
  await next(t.bob, 'receive-progress', (p) => p.taskId === task.id)
  const failed = next(t.bob, 'receive-failed', (e) => e.taskId === task.id)
  t.alice.cancelSend(task.id)
  await assert.rejects(task.done, { code: 'cancelled' })
  assert.equal((await failed).code, 'cancelled')
  for (let i = 0; i < 50 && (await filesIn(join(t.h.dir, 'bob'))).some((n) => n.endsWith('.part')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.ok(!(await filesIn(join(t.h.dir, 'bob'))).some((n) => n.endsWith('.part')))
})

test('with no usable candidates the link falls back to the relay and every kind still arrives', async () => {
  // A relay-only ICE policy with no TURN server gathers no candidates: no direct path can exist.
  const noPath = { iceTransportPolicy: 'relay' as const, connectTimeoutMs: 1500 }
  const carol = await t.h.client('carol', noPath)
  const dave = await t.h.client('dave', noPath)
  const opened = next(carol, 'link', (e) => e.state === 'open')
  const cmd = next(dave, 'cmd')
  await carol.sendCmd('dave', 'after fallback').done
  assert.equal((await cmd).data, 'after fallback')
  assert.equal((await opened).transport, 'relay')
  const bytes = randomBytes(1024 * 1024)
  const buffer = next(dave, 'buffer')
  await carol.sendBuffer('dave', bytes).done
  assert.equal(sha256((await buffer).data), sha256(bytes))
  const source = await randomFile(t.h.dir, 'fallback.bin', 5 * 1024 * 1024)
  const file = next(dave, 'file')
  await carol.sendFile('dave', source.path).done
  assert.equal((await file).file.sha256, source.sha256)
})

test('with relay disabled and no direct path, sending fails with no-route instead of hanging', async () => {
  const options = { iceTransportPolicy: 'relay' as const, connectTimeoutMs: 1000, transport: 'direct' as const }
  const erin = await t.h.client('erin', options)
  await t.h.client('frank', options)
  await assert.rejects(erin.sendCmd('frank', 'anyone?').done, { code: 'no-route' })
})
