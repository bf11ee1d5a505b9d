import assert from 'node:assert/strict'
import { fork } from 'node:child_process'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import type { FerryClient } from '../src/index.js'
import { filesIn, type Harness, harness, next, randomFile } from './helpers.js'

let h: Harness
let alice: FerryClient

before(async () => {
  h = await harness()
  alice = await h.client('alice')
})
after(() => h.close())

function startPeer(userId: string) {
  const dir = join(h.dir, userId)
  const child = fork(join(import.meta.dirname, 'fixtures', 'receiver-process.ts'), [h.server.url, userId, dir], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  })
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type: string }) => m.type === 'ready' && resolve())
    child.on('exit', (code) => reject(new Error(`peer exited with ${code}`)))
  })
  const progressed = new Promise<void>((resolve) =>
    child.on('message', (m: { type: string }) => m.type === 'progress' && resolve()),
  )
  return { child, dir, ready, progressed }
}

test('the receiving process dies mid-file: the sender’s task fails with peer-gone', async () => {
  const file = await randomFile(h.dir, 'long.bin', 96 * 1024 * 1024)
  const peer = startPeer('zed')
  await peer.ready
  const task = alice.sendFile('zed', file.path)
  await peer.progressed
  peer.child.kill('SIGKILL')
  await assert.rejects(task.done, { code: 'peer-gone' })
})

test('a peer that comes back after dying gets a fresh link and the next transfer works', async () => {
  const peer = startPeer('zed')
  await peer.ready
  const file = await randomFile(h.dir, 'again.bin', 2 * 1024 * 1024)
  await alice.sendFile('zed', file.path).done
  const names = (await filesIn(peer.dir)).filter((n) => !n.startsWith('.'))
  assert.ok(names.includes('again.bin'))
  peer.child.kill('SIGKILL')
  await next(alice, 'presence', (p) => p.userId === 'zed' && !p.online)
})
