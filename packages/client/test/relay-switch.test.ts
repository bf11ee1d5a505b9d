import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { FerryClient } from '../src/index.js'
import { collect, type Harness, harness, next, randomFile, sha256File } from './helpers.js'

let h: Harness

before(async () => {
  h = await harness()
})
after(() => h.close())

/** Kills the direct peer connection under `client`'s link to `peer`, as a network failure would. */
function killDirect(client: FerryClient, peer: string): void {
  type Internals = { links: { links: Map<string, { direct?: { sp: { _pc: RTCPeerConnection } } }> } }
  const link = (client as unknown as Internals).links.links.get(peer)
  const pc = link?.direct?.sp._pc
  assert.ok(pc, 'no direct connection to kill')
  pc.close()
}

for (const side of ['sender', 'receiver'] as const) {
  test(`the direct link dies mid-file on the ${side}'s end: the file completes over the relay, intact`, async () => {
    // A fresh pair per case: once a link has moved to the relay it stays there.
    const alice = await h.client(`alice-${side}`)
    const bob = await h.client(`bob-${side}`)
    const [a, b] = [`alice-${side}`, `bob-${side}`]
    const source = await randomFile(h.dir, `switch-${side}.bin`, 80 * 1024 * 1024)
    const opened = next(alice, 'link', (e) => e.state === 'open')
    await alice.sendCmd(b, 'open the direct link').done
    assert.equal((await opened).transport, 'direct')
    const transports = collect(alice, 'link')
    const progress = collect(alice, 'progress')
    const received = next(bob, 'file', (e) => e.file.name === `switch-${side}.bin`, 60_000)
    const task = alice.sendFile(b, source.path)
    await next(alice, 'progress', (p) => p.taskId === task.id && p.sent > 8 * 1024 * 1024)
    killDirect(side === 'sender' ? alice : bob, side === 'sender' ? b : a)
    const result = await task.done
    assert.equal(result.error, undefined)
    const { file } = await received
    assert.equal(file.sha256, source.sha256)
    assert.equal(await sha256File(file.path!), source.sha256)
    assert.ok(
      transports.some((e) => e.state === 'open' && e.transport === 'relay'),
      'the link moved to the relay',
    )
    const mine = progress.filter((p) => p.taskId === task.id).map((p) => p.sent)
    assert.deepEqual(
      mine,
      [...mine].sort((a, b) => a - b),
      'progress never went back',
    )
    assert.equal(mine.at(-1), 80 * 1024 * 1024)
  })
}
