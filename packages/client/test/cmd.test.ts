import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { type FerryClient, MAX_CMD_BYTES } from '../src/index.js'
import { type Harness, harness, next } from './helpers.js'

let h: Harness
let alice: FerryClient
let bob: FerryClient

before(async () => {
  h = await harness()
  alice = await h.client('alice')
  bob = await h.client('bob')
})
after(() => h.close())

test('a text cmd arrives with the sender id, and the result comes back with the cookie', async () => {
  const received = next(bob, 'cmd')
  const result = next(alice, 'result')
  const task = alice.sendCmd('bob', 'hello bob', { cookie: { n: 1 } })
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
  const received = next(alice, 'cmd')
  await bob.sendCmd('alice', bytes).done
  const cmd = await received
  assert.equal(cmd.from, 'bob')
  assert.deepEqual(cmd.data, bytes)
})

test('a cmd over the limit fails with cmd-too-large and sends nothing', async () => {
  const task = alice.sendCmd('bob', new Uint8Array(MAX_CMD_BYTES + 1))
  await assert.rejects(task.done, { code: 'cmd-too-large' })
})

test('a cmd cannot be cancelled', async () => {
  const task = alice.sendCmd('bob', 'x')
  assert.equal(alice.cancelSend(task.id), 'unknown-task')
  await task.done
})
