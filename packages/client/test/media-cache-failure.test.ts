import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { FerryError } from '@ferry/protocol'
import wrtc from '@roamhq/wrtc'
import { FerryClient, type FerryEvents, type Platform } from '../src/index.js'
import { nodePlatform } from '../src/node/index.js'
import { useClients } from './helpers.js'

const t = useClients({ alice: {} })

test('a platform that cannot make the media cache is reported as an error event; the client stays logged in', async () => {
  const base = nodePlatform({ wrtc, downloadDir: join(t.h.dir, 'dave') })
  const broken: Platform = {
    ...base,
    createMediaCache() {
      throw new FerryError('file-write-error', 'EACCES: the media directory is read-only')
    },
  }
  const dave = new FerryClient({ url: t.h.server.url, userId: 'dave', platform: broken })
  const errors: FerryEvents['error'][] = []
  dave.on('error', (event) => errors.push(event))
  try {
    await dave.connect()
    assert.equal(dave.state, 'connected')
    assert.equal(errors.length, 1)
    assert.equal(errors[0]?.code, 'file-write-error')
    assert.match(errors[0]?.message ?? '', /media cache for dave/)
    await assert.rejects(dave.listMedia(), { code: 'not-logged-in' })
    const got = new Promise((resolve) => dave.on('cmd', ({ data }) => resolve(data)))
    await t.alice.sendCmd('dave', 'cmds still arrive').done
    assert.equal(await got, 'cmds still arrive')
  } finally {
    await dave.close()
  }
})
