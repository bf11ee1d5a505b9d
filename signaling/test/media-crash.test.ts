import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import type { MediaUploadState } from '@ferry/protocol'
import { startCli } from './cli-process.js'
import { EVENT_TIMEOUT_MS, login, openClient } from './harness.js'
import { content, filesIn, MediaApi, newMediaId, sha256, uploadRequest } from './media-client.js'

/** Logs `userId` in on the server at `url`; its media routes with the session's key. */
async function mediaOf(t: { after(fn: () => void): void }, url: string, userId: string): Promise<MediaApi> {
  const client = openClient(url, { userId })
  t.after(() => client.close())
  const key = (await login(client)).media?.key
  assert.ok(key !== undefined, 'session:ready offers no media store')
  return new MediaApi(url, key)
}

test('kill -9 of the server mid-upload: the restart sweeps what the crash left, and the upload resumes at its recorded offset', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'ferry-media-crash-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  const dir = join(root, 'media')
  const first = await startCli(t, ['--media-dir', dir])
  const before = await mediaOf(t, first.url, 'alice')
  const id = newMediaId()
  const bytes = content(400_000)
  assert.equal((await before.start(id, uploadRequest(bytes))).status, 200)
  assert.equal((await before.put(id, 0, bytes.subarray(0, 150_000))).status, 200)

  // The next piece is being written when the server is killed: 60 000 of its bytes are on disk.
  const held = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(150_000, 210_000))
    },
  })
  const cut = before.put(id, 150_000, held)
  const deadline = Date.now() + EVENT_TIMEOUT_MS
  while ((await stat(join(dir, `${id}.data`))).size < 210_000) {
    assert.ok(Date.now() < deadline, 'the piece never reached the disk')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  first.kill()
  await assert.rejects(cut)
  // What a crash at other moments leaves: a half-written record, a lock of a dead process, a put's draft.
  const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
  await writeFile(join(dir, `${id}.json.draft`), '{"mediaId":')
  const locked = join(dir, `${newMediaId()}.lock`)
  await mkdir(locked)
  await utimes(locked, longAgo, longAgo)
  const put = join(dir, `${newMediaId()}.put.draft1.tmp`)
  await writeFile(put, content(100))
  await utimes(put, longAgo, longAgo)

  // The restarted server sweeps before it listens.
  const second = await startCli(t, ['--media-dir', dir])
  assert.deepEqual(await filesIn(dir), [`${id}.data`, `${id}.json`])
  const after = await mediaOf(t, second.url, 'alice')
  const state = (await (await after.start(id, uploadRequest(bytes))).json()) as MediaUploadState
  assert.deepEqual(state, { received: 150_000, complete: false })
  const rest = await after.put(id, 150_000, bytes.subarray(150_000))
  assert.equal(rest.status, 200)
  assert.equal(((await rest.json()) as MediaUploadState).complete, true)
  const got = new Uint8Array(await (await after.download(id)).arrayBuffer())
  assert.equal(sha256(got), sha256(bytes))
  assert.deepEqual(await filesIn(dir), [`${id}.data`, `${id}.json`])
})
