import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_CONTROL_FRAMES } from '../src/send-queue.js'
import { RawPeer } from './abuse/raw-peer.js'
import { useClients } from './helpers.js'

// Direct links only, and a long connect timeout: frames to a peer that never answers the offer wait
// in the link's queue for as long as the test needs.
const t = useClients({ bob: { transport: 'direct', connectTimeoutMs: 120_000 } })

test('cmds, messages and transfers sent while the link’s queue is full fail with too-many-tasks', async () => {
  const mute = await RawPeer.login(t.h.server.url, 'mute')
  try {
    const queued = Array.from({ length: MAX_CONTROL_FRAMES / 2 }, (_, i) => t.bob.sendCmd('mute', `cmd ${i}`))
    const refused = [
      t.bob.sendCmd('mute', 'one too many'),
      t.bob.sendMessage('mute', 'a message too'),
      t.bob.sendBuffer('mute', new Uint8Array(10)),
    ]
    for (const task of refused) await assert.rejects(task.done, { code: 'too-many-tasks' })
    const settled = await Promise.race([
      Promise.allSettled(queued.map((task) => task.done)),
      new Promise((resolve) => setImmediate(resolve, 'waiting')),
    ])
    assert.equal(settled, 'waiting', 'the queued cmds wait for the link')
    await t.bob.close()
    for (const task of queued) await assert.rejects(task.done, { code: 'closed' })
  } finally {
    mute.close()
  }
})
