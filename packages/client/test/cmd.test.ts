import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAX_CMD_BYTES } from '../src/index.js'
import { next, useClients } from './helpers.js'

const t = useClients({ alice: {}, bob: {} })

test('a text cmd arrives with the sender id, and the result comes back with the cookie', async () => {
  const received = next(t.bob, 'cmd')
  const result = next(t.alice, 'result')
  const task = t.alice.sendCmd('bob', 'hello bob', { cookie: { n: 1 } })
  const cmd = await received
  assert.equal(cmd.from, 'alice')
  assert.equal(cmd.data, 'hello bob')
  assert.equal(cmd.taskId, task.id)
  const done = await task.done
  assert.equal(done.error, undefined)
  assert.deepEqual(done.cookie, { n: 1 })
  assert.deepEqual((await result).taskId, task.id)
})

test('a binary cmd of exactly the limit arrives byte for byte, both ways', async () => {
  const bytes = new Uint8Array(MAX_CMD_BYTES).map((_, i) => (i * 7) & 0xff)
  const received = next(t.alice, 'cmd')
  await t.bob.sendCmd('alice', bytes).done
  const cmd = await received
  assert.equal(cmd.from, 'bob')
  assert.deepEqual(cmd.data, bytes)
})

test('a cmd over the limit fails with cmd-too-large and sends nothing', async () => {
  const task = t.alice.sendCmd('bob', new Uint8Array(MAX_CMD_BYTES + 1))
  await assert.rejects(task.done, { code: 'cmd-too-large' })
})

test('a cmd cannot be cancelled', async () => {
  const task = t.alice.sendCmd('bob', 'x')
  assert.equal(t.alice.cancelSend(task.id), 'unknown-task')
  await task.done
})
