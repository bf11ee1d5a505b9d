import assert from 'node:assert/strict'
import { test } from 'node:test'
import wrtc from '@roamhq/wrtc'
import { FerryClient, type Platform } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { collect, next, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {} })

test('sending to a user who is not online fails with peer-offline, for every kind', async () => {
  await assert.rejects(t.alice.sendCmd('nobody', 'hi').done, { code: 'peer-offline' })
  await assert.rejects(t.alice.sendBuffer('nobody', new Uint8Array(10)).done, { code: 'peer-offline' })
  await assert.rejects(t.alice.sendFile('nobody', new Blob(['x'])).done, { code: 'peer-offline' })
  // The user with the larger id asks the other to connect: that path says offline too.
  await assert.rejects(t.bob.sendCmd('aaron', 'hi').done, { code: 'peer-offline' })
})

test('sending to oneself or to a malformed id fails with invalid-target', async () => {
  await assert.rejects(t.alice.sendCmd('alice', 'me').done, { code: 'invalid-target' })
  await assert.rejects(t.alice.sendBuffer('', new Uint8Array(1)).done, { code: 'invalid-target' })
  await assert.rejects(t.alice.sendFile('bad id/with slash', new Blob(['x'])).done, { code: 'invalid-target' })
})

test('a failed task also emits its result event, after the caller has the task id', async () => {
  const results = collect(t.alice, 'result')
  const task = t.alice.sendCmd('alice', 'x', { cookie: 9 })
  await assert.rejects(task.done)
  assert.equal(results.at(-1)?.taskId, task.id)
  assert.equal(results.at(-1)?.error?.code, 'invalid-target')
  assert.equal(results.at(-1)?.cookie, 9)
})

test('payloads of the wrong type fail with invalid-argument', async () => {
  const anything = (value: unknown) => value as never
  await assert.rejects(t.alice.sendCmd('bob', anything(42)).done, { code: 'invalid-argument' })
  await assert.rejects(t.alice.sendBuffer('bob', anything('not bytes')).done, { code: 'invalid-argument' })
  await assert.rejects(t.alice.sendFile('bob', anything({ size: 3 })).done, { code: 'invalid-argument' })
})

test('sending before connect fails with not-logged-in', async () => {
  const idle = new FerryClient({ url: t.h.server.url, userId: 'idle', platform: nodePlatform({ wrtc }) })
  await assert.rejects(idle.sendCmd('bob', 'x').done, { code: 'not-logged-in' })
  await idle.close()
})

test('a malformed frame from a peer is reported as protocol-error and the link keeps working', async () => {
  await t.alice.sendCmd('bob', 'open the link').done
  const error = next(t.bob, 'error')
  // Reach the link as a buggy or hostile peer would: raw bytes on the data channel.
  const links = (
    t.alice as unknown as { links: { get(peer: string): { queue: { sendControl(b: Uint8Array): void } } } }
  ).links
  links.get('bob').queue.sendControl(new Uint8Array([1, 99, 0, 0, 0, 1, 2, 3]))
  links.get('bob').queue.sendControl(new Uint8Array([7]))
  assert.equal((await error).code, 'protocol-error')
  const received = next(t.bob, 'cmd')
  await t.alice.sendCmd('bob', 'still here').done
  assert.equal((await received).data, 'still here')
})

test('a corrupted transfer is rejected with integrity-mismatch and nothing is delivered', async () => {
  const base = nodePlatform({ wrtc })
  const lying: Platform = {
    ...base,
    async createHasher() {
      const real = await base.createHasher()
      return { update: (d) => real.update(d), digest: () => real.digest().map((b) => b ^ 0xff) }
    },
  }
  const mallory = await t.h.client('mallory', { platform: lying })
  const deliveries = collect(t.bob, 'buffer')
  const failed = next(t.bob, 'receive-failed')
  const task = mallory.sendBuffer('bob', new Uint8Array(300_000).fill(5))
  await assert.rejects(task.done, { code: 'integrity-mismatch' })
  assert.equal((await failed).code, 'integrity-mismatch')
  assert.equal(deliveries.length, 0)
})

test('a sender that stalls is timed out by the receiver with idle-timeout', async () => {
  const base = nodePlatform({ wrtc })
  const stalling: Platform = {
    ...base,
    async openFile() {
      let reads = 0
      return {
        name: 'stall.bin',
        size: 1024 * 1024,
        mime: 'application/octet-stream',
        readInto: (target) => (reads++ === 0 ? Promise.resolve(target.fill(1).length) : new Promise<number>(() => {})),
        close: async () => {},
      }
    },
  }
  const slow = await t.h.client('slowpoke', { platform: stalling })
  const impatient = await t.h.client('impatient', { idleTimeoutMs: 800 })
  const failed = next(impatient, 'receive-failed')
  const task = slow.sendFile('impatient', 'ignored')
  assert.equal((await failed).code, 'idle-timeout')
  await assert.rejects(task.done, { code: 'idle-timeout' })
})
