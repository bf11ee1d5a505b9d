import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FileMessage } from '../src/index.js'
import { next, randomFile, sha256, useClients } from './helpers.js'

// No direct path and no server store: messages and media go through the signaling server's relay.
const t = useClients({ alice: { transport: 'relay' }, bob: { transport: 'relay' } }, { media: false })

test('messages and peer media downloads work over the relay', async () => {
  const { path, sha256: digest } = await randomFile(t.h.dir, 'relayed.bin', 20 * 1024 * 1024 + 5)
  const message = await t.alice.createFileMessage(path).done
  const received = next(t.bob, 'message')
  await t.alice.sendMessage('bob', message).done
  const download = await t.bob.downloadMedia((await received).message as FileMessage).done
  assert.equal(download.source, 'peer')
  assert.equal(sha256(download.data!), digest)
})
