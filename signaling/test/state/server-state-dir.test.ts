import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { FerryError } from '@ferry/protocol'
import { createSignalingServer, memoryState } from '../../src/index.js'
import { stateDir } from './state-dir.js'

test('a server on stateDir keeps its groups for the next server on that directory; close() closes the database', async (t) => {
  const dir = await stateDir(t)
  const first = await createSignalingServer({ port: 0, media: false, stateDir: dir })
  await first.groups.create('team', ['alice', 'bob'])
  await first.close()
  const second = await createSignalingServer({ port: 0, media: false, stateDir: dir })
  t.after(() => second.close())
  assert.deepEqual(await second.groups.get('team'), { gid: 'team', members: ['alice', 'bob'] })
})

test('state wins over stateDir', async (t) => {
  const dir = await stateDir(t)
  const server = await createSignalingServer({ port: 0, media: false, stateDir: dir, state: memoryState() })
  await server.groups.create('team', ['alice'])
  await server.close()
  const next = await createSignalingServer({ port: 0, media: false, stateDir: dir })
  t.after(() => next.close())
  assert.equal(await next.groups.get('team'), undefined)
})

test('a stateDir that cannot hold a database is refused with invalid-argument', async (t) => {
  const dir = await stateDir(t)
  const file = join(dir, 'a-file')
  await writeFile(file, 'not a directory')
  const refused = (pattern: RegExp) => (error: unknown) =>
    error instanceof FerryError && error.code === 'invalid-argument' && pattern.test(error.message)
  await assert.rejects(createSignalingServer({ port: 0, media: false, stateDir: file }), refused(/stateDir/))
  await assert.rejects(createSignalingServer({ port: 0, media: false, stateDir: ' ' }), refused(/stateDir/))
})
